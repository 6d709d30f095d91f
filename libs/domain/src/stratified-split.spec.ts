import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { hash32, parseSplitRatios, stratifiedSplit } from './stratified-split';
import { mulberry32 } from './testing/mulberry32';

interface Item {
  id: string;
  cls: string;
}

/** n items of each class, ids unique across classes. */
function items(sizes: Record<string, number>): Item[] {
  return Object.entries(sizes).flatMap(([cls, n]) => Array.from({ length: n }, (_, i) => ({ id: `${cls}-${i}`, cls })));
}

const split = (data: Item[], ratios: number[], seed = 7) => stratifiedSplit(data, { key: (i) => i.id, stratum: (i) => i.cls, ratios, seed });

/** Deterministic Fisher–Yates shuffle (mulberry32), so the "shuffled input" case is itself reproducible. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const rnd = mulberry32(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('stratifiedSplit keeps every class in proportion', () => {
  const cases = [
    { name: '80:20, two balanced classes', sizes: { a: 50, b: 50 }, ratios: [80, 20] },
    { name: '80:20, a 5 % class', sizes: { big: 95, small: 5 }, ratios: [80, 20] },
    { name: '60:20:20, uneven classes', sizes: { a: 37, b: 11, c: 3, d: 1 }, ratios: [60, 20, 20] },
    { name: '80:20, strata of five land exactly one held out', sizes: { tp: 5, fp: 5, tn: 5 }, ratios: [80, 20] },
    { name: '70:30, many small classes', sizes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, 2 + (i % 4)])), ratios: [70, 30] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const data = items(c.sizes);
      const parts = split(data, c.ratios);
      assert.equal(parts.length, c.ratios.length);
      assert.equal(parts.flat().length, data.length, 'every item in exactly one part');
      assert.equal(new Set(parts.flat().map((i) => i.id)).size, data.length);
      const total = c.ratios.reduce((a, b) => a + b, 0);
      for (const [cls, n] of Object.entries(c.sizes)) {
        parts.forEach((part, p) => {
          const got = part.filter((i) => i.cls === cls).length;
          const exact = (n * c.ratios[p]!) / total;
          assert.ok(got >= Math.floor(exact + 1e-9) && got <= Math.ceil(exact - 1e-9), `class ${cls} part ${p}: ${got} items, expected ${exact.toFixed(2)} ± rounding`);
        });
      }
    });
  }
});

describe('stratifiedSplit is reproducible', () => {
  const data = items({ a: 40, b: 25, c: 7 });
  const ids = (parts: Item[][]) => parts.map((p) => p.map((i) => i.id).sort());

  it('same items + same seed → the same split, whatever the input order', () => {
    assert.deepEqual(ids(split(shuffled(data, 1), [80, 20], 42)), ids(split(data, [80, 20], 42)));
    assert.deepEqual(ids(split(shuffled(data, 2), [60, 20, 20], 42)), ids(split(data, [60, 20, 20], 42)));
  });

  it('another seed gives another split', () => {
    assert.notDeepEqual(ids(split(data, [80, 20], 1)), ids(split(data, [80, 20], 2)));
  });

  it('parts keep the input order of their items', () => {
    const [train] = split(data, [80, 20], 3);
    const positions = train!.map((i) => data.indexOf(i));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  });

  it('hash32 is pinned (a change would silently re-split every exported dataset)', () => {
    assert.equal(hash32('vigil'), 2054183814);
  });

  it('refuses duplicate keys, bad seeds and bad ratios', () => {
    assert.throws(() => split([{ id: 'x', cls: 'a' }, { id: 'x', cls: 'b' }], [80, 20]), InvalidInputError);
    assert.throws(() => split(data, [80, 20], 1.5), InvalidInputError);
    assert.throws(() => split(data, [100]), InvalidInputError);
    assert.throws(() => split(data, [80, 0]), InvalidInputError);
  });
});

describe('parseSplitRatios', () => {
  const good: Array<[string, number[]]> = [['80:20', [80, 20]], ['60:20:20', [60, 20, 20]], [' 70:30 ', [70, 30]]];
  for (const [spec, expected] of good) it(`"${spec}" → ${expected.join('/')}`, () => assert.deepEqual(parseSplitRatios(spec), expected));
  for (const bad of ['80:30', '100:0', 'a:b', '80', '10:10:10:70', '80:20:', '-80:180']) {
    it(`refuses "${bad}"`, () => assert.throws(() => parseSplitRatios(bad), InvalidInputError));
  }
});
