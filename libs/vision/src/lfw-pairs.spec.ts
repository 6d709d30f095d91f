import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvalidInputError } from '@vigil/domain';
import { evaluatePairs } from './evaluate-pairs';
import { lfwImagePath, looksLikeLfwPairs, parseLfwPairs } from './lfw-pairs';
import { parsePairsFile } from './pairs-file';

const rejectsWith = (re: RegExp) => (err: unknown) => err instanceof InvalidInputError && re.test(err.message);

/** 2 folds × (2 same + 2 different), tab-separated like LFW's own file, with a blank line inside. */
const GOOD = [
  '2\t2',
  'Abel_Pacheco\t1\t4',
  'Akhmed_Zakayev\t1\t3',
  'Abdel_Madi_Shabneh\t1\tDean_Barker\t1',
  'Abdel_Madi_Shabneh\t1\tGiancarlo_Fisichella\t1',
  '',
  'Zico\t1\t2',
  'Zoran_Djindjic\t1\t4',
  'Zach_Safrin\t1\tXavier_Malisse\t3',
  'Zhang_Ziyi\t12\tZhu_Rongji\t1',
].join('\n');

describe('parseLfwPairs', () => {
  it('parses folds, labels and LFW image paths, keeping file line numbers', () => {
    const r = parseLfwPairs(GOOD + '\n');
    assert.equal(r.folds, 2);
    assert.equal(r.pairsPerFold, 2);
    assert.equal(r.rows.length, 8);
    assert.deepEqual(r.rows[0], { line: 2, fold: 0, imageA: 'Abel_Pacheco/Abel_Pacheco_0001.jpg', imageB: 'Abel_Pacheco/Abel_Pacheco_0004.jpg', same: true });
    assert.deepEqual(r.rows[3], {
      line: 5,
      fold: 0,
      imageA: 'Abdel_Madi_Shabneh/Abdel_Madi_Shabneh_0001.jpg',
      imageB: 'Giancarlo_Fisichella/Giancarlo_Fisichella_0001.jpg',
      same: false,
    });
    assert.deepEqual(r.rows[4], { line: 7, fold: 1, imageA: 'Zico/Zico_0001.jpg', imageB: 'Zico/Zico_0002.jpg', same: true });
    assert.deepEqual(r.rows[7], { line: 10, fold: 1, imageA: 'Zhang_Ziyi/Zhang_Ziyi_0012.jpg', imageB: 'Zhu_Rongji/Zhu_Rongji_0001.jpg', same: false });
    assert.deepEqual(r.rows.map((x) => x.same), [true, true, false, false, true, true, false, false]);
  });

  it('accepts spaces, CRLF, a BOM and leading blank lines', () => {
    const r = parseLfwPairs('\uFEFF\r\n1 1\r\nA_B 1 2\r\nA_B 1 C_D 2\r\n');
    assert.deepEqual(r.rows.map((x) => [x.line, x.fold, x.same]), [[3, 0, true], [4, 0, false]]);
  });

  it('pads image numbers to four digits', () => {
    assert.equal(lfwImagePath('Zico', 7), 'Zico/Zico_0007.jpg');
    assert.equal(lfwImagePath('Zico', 1234), 'Zico/Zico_1234.jpg');
  });

  const lines = GOOD.split('\n');
  const replace = (index: number, text: string) => lines.map((l, i) => (i === index ? text : l)).join('\n');
  const bad: Array<[string, string, RegExp]> = [
    ['an empty file', '\n\n', /is empty/],
    ['zero folds', '0\t300\n', /line 1: .*at least 1 fold/],
    ['too few pair lines', lines.slice(0, 9).join('\n'), /declares 2 fold\(s\) × \(2 same-person \+ 2 different-person pairs\) = 8 pairs, but the file has only 7 pair lines \(fold 1 is incomplete\)/],
    ['too many pair lines', GOOD + '\nZico\t1\t3', /line 11: .*more pair lines/],
    // Line 4 should be the first different-person pair of fold 0: one same pair too many.
    ['a same-person line where a different one is due', replace(3, 'Zico\t1\t2'), /line 4: a same-person line at pair 3 of fold 0 .*where a different-person line is due/],
    ['a different-person line where a same one is due', replace(6, 'Zico\t1\tZoran_Djindjic\t2'), /line 7: a different-person line at pair 1 of fold 1/],
    ['a line with 2 fields', replace(1, 'Abel_Pacheco\t1'), /line 2: expected 3 fields .* or 4 .*got 2/],
    ['a line with 5 fields', replace(3, 'A\t1\tB\t2\t3'), /line 4: expected 3 fields .*got 5/],
    ['a non-numeric image number', replace(1, 'Abel_Pacheco\tone\t4'), /line 2: image number 'one' must be a whole number from 1 to 9999/],
    ['image number 0', replace(2, 'Akhmed_Zakayev\t0\t3'), /line 3: image number '0'/],
    ['a five-digit image number', replace(2, 'Akhmed_Zakayev\t1\t10000'), /line 3: image number '10000'/],
    ['a negative image number', replace(2, 'Akhmed_Zakayev\t1\t-3'), /line 3: image number '-3'/],
    ['a same pair comparing an image with itself', replace(1, 'Abel_Pacheco\t4\t4'), /line 2: .*image 4 with itself/],
    ['a different pair naming one person twice', replace(3, 'Dean_Barker\t1\tDean_Barker\t2'), /line 4: .*names Dean_Barker twice/],
    ['a name with a slash', replace(1, '../etc\t1\t2'), /line 2: '\.\.\/etc' is not a person's folder name/],
    ['a name that is ..', replace(3, '..\t1\tDean_Barker\t1'), /line 4: '\.\.' is not a person's folder name/],
    ['a backslash in a name', replace(8, 'Zach_Safrin\t1\ta\\b\t3'), /line 9: 'a\\b' is not/],
  ];
  for (const [name, text, re] of bad) it(`rejects ${name}`, () => assert.throws(() => parseLfwPairs(text), rejectsWith(re)));
});

describe('parsePairsFile', () => {
  it('tells pairs.txt from a CSV by the first non-empty line', () => {
    assert.equal(looksLikeLfwPairs('\n10\t300\n'), true);
    assert.equal(looksLikeLfwPairs('a,b,same\n'), false);
    assert.equal(looksLikeLfwPairs('1,2\n'), false, 'a CSV header of numbers is still a CSV');
    const lfw = parsePairsFile(GOOD);
    assert.equal(lfw.format, 'lfw');
    assert.equal(lfw.folds, 2);
    assert.match(lfw.label, /LFW/);
    const csv = parsePairsFile('a,b,same\nx.jpg,y.jpg,1\n');
    assert.equal(csv.format, 'csv');
    assert.equal(csv.folds, null);
    assert.deepEqual(csv.rows, [{ line: 2, imageA: 'x.jpg', imageB: 'y.jpg', same: true }]);
  });

  it("explains that pairsDevTrain.txt's one-number header is not pairs.txt", () => {
    assert.throws(() => parsePairsFile('1100\nAaron_Peirsol\t1\t2\n'), rejectsWith(/single number \(1100\).*pairsDevTrain.*pairs\.txt/));
  });
});

describe('evaluatePairs with an LFW pairs file', () => {
  it('refuses images missing or outside --images before any inference, naming the line', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-lfw-'));
    try {
      const images = path.join(root, 'images');
      await fs.mkdir(path.join(images, 'Ann_A'), { recursive: true });
      await fs.mkdir(path.join(root, 'outside'));
      for (const n of [1, 2]) await fs.writeFile(path.join(images, 'Ann_A', `Ann_A_000${n}.jpg`), 'x');
      await fs.writeFile(path.join(root, 'outside', 'Bob_B_0001.jpg'), 'x');
      // A person folder that is a link out of the images folder.
      await fs.symlink(path.join(root, 'outside'), path.join(images, 'Bob_B'));
      const engine = { detectImage: () => Promise.reject(new Error('no inference expected')) };
      const pairs = path.join(root, 'pairs.txt');

      await fs.writeFile(pairs, '1\t1\nAnn_A\t1\t2\nAnn_A\t1\tBob_B\t1\n');
      await assert.rejects(
        evaluatePairs({ pairsPath: pairs, imagesDir: images, engine }),
        rejectsWith(/^LFW pairs file line 3: image path 'Bob_B\/Bob_B_0001\.jpg' points outside the images directory/),
      );
      await fs.writeFile(pairs, '1\t1\nAnn_A\t1\t3\nAnn_A\t1\tBob_B\t1\n');
      await assert.rejects(
        evaluatePairs({ pairsPath: pairs, imagesDir: images, engine }),
        rejectsWith(/^LFW pairs file line 2: image 'Ann_A\/Ann_A_0003\.jpg' not found in the images directory/),
      );
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
