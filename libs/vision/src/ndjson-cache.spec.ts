import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readNdjsonCache } from './ndjson-cache';

describe('readNdjsonCache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-ndjson-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<{ name: string; text: string | null; want: Record<string, number> }> = [
    { name: 'a missing file is an empty cache', text: null, want: {} },
    { name: 'one line per image', text: '{"image":"a.jpg","v":1}\n{"image":"b.jpg","v":2}\n', want: { 'a.jpg': 1, 'b.jpg': 2 } },
    { name: 'a later line for the same image wins', text: '{"image":"a.jpg","v":1}\n{"image":"a.jpg","v":3}\n', want: { 'a.jpg': 3 } },
    { name: 'blank lines are skipped', text: '\n{"image":"a.jpg","v":1}\n\n', want: { 'a.jpg': 1 } },
    { name: 'a line cut short by an interrupted run is skipped', text: '{"image":"a.jpg","v":1}\n{"image":"b.jp', want: { 'a.jpg': 1 } },
  ];
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const file = path.join(dir, `cache-${i}.ndjson`);
      if (c.text !== null) writeFileSync(file, c.text);
      const lines = await readNdjsonCache<{ image: string; v: number }>(file);
      assert.deepEqual(Object.fromEntries([...lines].map(([k, line]) => [k, line.v])), c.want);
    });
  }
});
