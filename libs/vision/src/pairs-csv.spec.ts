import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidInputError } from '@vigil/domain';
import { parsePairsCsv, resolveInside } from './pairs-csv';

const rejectsWith = (re: RegExp) => (err: unknown) => err instanceof InvalidInputError && re.test(err.message);

describe('parsePairsCsv', () => {
  it('parses labels in every accepted spelling, skipping the header and blank lines', () => {
    const rows = parsePairsCsv('a,b,same\nx.jpg,y.jpg,Yes\n\n"p q.jpg",r.jpg,FALSE,extra\ns.jpg,t.jpg,1\n');
    assert.deepEqual(rows, [
      { line: 2, imageA: 'x.jpg', imageB: 'y.jpg', same: true },
      { line: 4, imageA: 'p q.jpg', imageB: 'r.jpg', same: false },
      { line: 5, imageA: 's.jpg', imageB: 't.jpg', same: true },
    ]);
  });
  const bad: Array<[string, string, RegExp]> = [
    ['a bad label', 'a,b,l\nx.jpg,y.jpg,maybe\n', /line 2: label/],
    ['too few columns', 'a,b,l\nx.jpg,y.jpg,1\nx.jpg,y.jpg\n', /line 3: expected 3 columns/],
    ['an unclosed quote', 'a,b,l\nx.jpg,"y.jpg,1\n', /line 2/],
    ['an absolute path', 'a,b,l\n/etc/passwd,y.jpg,1\n', /line 2: image path must be relative/],
    ['an empty file', '', /empty/],
    ['a header only', 'a,b,l\n', /no pairs/],
  ];
  for (const [name, text, re] of bad) it(`rejects ${name}`, () => assert.throws(() => parsePairsCsv(text), rejectsWith(re)));
});

describe('resolveInside', () => {
  it('resolves files inside and refuses traversal, including through symlinks', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-pairs-'));
    try {
      const images = path.join(root, 'images');
      await fs.mkdir(path.join(images, 'sub'), { recursive: true });
      await fs.writeFile(path.join(images, 'sub', 'a.jpg'), 'x');
      await fs.writeFile(path.join(root, 'secret.jpg'), 'x');
      await fs.symlink(path.join(root, 'secret.jpg'), path.join(images, 'link.jpg'));
      const real = await fs.realpath(images);
      assert.equal(await resolveInside(real, 'sub/a.jpg', 2), path.join(real, 'sub', 'a.jpg'));
      await assert.rejects(resolveInside(real, '../secret.jpg', 3), rejectsWith(/line 3: .*outside/));
      await assert.rejects(resolveInside(real, 'sub/../../secret.jpg', 4), rejectsWith(/outside/));
      await assert.rejects(resolveInside(real, 'link.jpg', 5), rejectsWith(/line 5: .*outside/));
      await assert.rejects(resolveInside(real, 'missing.jpg', 6), rejectsWith(/line 6: .*not found/));
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
