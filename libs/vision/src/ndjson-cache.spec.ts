import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cacheKeyMatches, readNdjsonCache, type ImageCacheKey } from './ndjson-cache';

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

describe('cacheKeyMatches', () => {
  const key: ImageCacheKey = { v: 1, model: 'm', detector: 'tiny', image: 'a.jpg', size: 10, mtimeMs: 5 };
  const cases: Array<[string, Partial<ImageCacheKey>, boolean]> = [
    ['the same key', {}, true],
    ['another cache format', { v: 2 }, false],
    ['another model', { model: 'n' }, false],
    ['another detector', { detector: 'ssd' }, false],
    ['the file changed size', { size: 11 }, false],
    ['the file was touched', { mtimeMs: 6 }, false],
  ];
  for (const [name, change, want] of cases) {
    it(`${name} → ${want}`, () => assert.equal(cacheKeyMatches({ ...key, ...change }, key), want));
  }
});
