import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// dist/tests/integration → dist/bench/matcher.js
const BENCH = path.resolve(__dirname, '../../bench/matcher.js');

const timings = (v: unknown) => {
  const t = v as { p50: unknown; p95: unknown };
  assert.equal(typeof t.p50, 'number');
  assert.equal(typeof t.p95, 'number');
};
const share = (v: unknown) => assert.ok(typeof v === 'number' && v >= 0 && v <= 1, `share ${String(v)}`);

describe('bench/matcher', { timeout: 120_000 }, () => {
  it('prints JSON with exact and approximate results for every kind and size asked for (small sizes; no timing assertions)', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', BENCH, '--sizes', '200,500', '--queries', '12', '--kinds', 'clustered,uniform'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { machine: Record<string, unknown>; params: Record<string, unknown>; results: Array<Record<string, any>> };
    assert.equal(typeof out.machine.cpuModel, 'string');
    assert.ok(Number.isInteger(out.machine.cores));
    assert.match(String(out.params.library), /^usearch \d+\.\d+\.\d+$/);
    assert.equal(typeof out.params.annMinReferences, 'number');
    assert.deepEqual(
      out.results.map((x) => [x.kind, x.references]),
      [['clustered', 200], ['clustered', 500], ['uniform', 200], ['uniform', 500]],
    );
    for (const x of out.results) {
      assert.equal(x.queries, 12);
      assert.ok(['exact', 'approximate'].includes(x.productionMode));
      timings(x.exact.searchMs);
      timings(x.exact.bestPerPersonMs);
      assert.equal(typeof x.exact.bytesPerReference, 'number');
      const a = x.approximate;
      for (const field of ['loadMs', 'buildSeconds', 'buildCpuSeconds', 'bytesPerReference', 'indexOnlyBytesPerReference', 'widenedSearches', 'exactFallbacks']) {
        assert.equal(typeof a[field], 'number', field);
      }
      timings(a.searchMs);
      timings(a.bestPerPersonMs);
      assert.equal(typeof a.eventLoopDelayMs.max, 'number');
      for (const s of [a, a.byQuery.enrolled, a.byQuery.stranger]) {
        share(s.recallAt1);
        share(s.runnerUpRecall);
        share(s.decisionAgreement);
      }
      share(a.nearestReferenceRecall);
    }
  });
});
