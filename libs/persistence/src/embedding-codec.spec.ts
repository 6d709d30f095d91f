import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEmbedding, encodeEmbedding } from './embedding-codec';

describe('embedding codec', () => {
  const cases: Array<[string, number[]]> = [
    ['empty', []],
    ['simple', [0, 1, -1, 0.5]],
    ['extremes', [3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, 1e-45]],
    ['specials', [Infinity, -Infinity, -0]],
  ];
  for (const [name, values] of cases) {
    it(`${name} round-trips bit-exactly`, () => {
      const input = Float32Array.from(values);
      const encoded = encodeEmbedding(input);
      assert.equal(encoded.length, input.length * 4);
      const output = decodeEmbedding(encoded);
      assert.deepEqual(Buffer.from(output.buffer), Buffer.from(input.buffer));
    });
  }

  it('is little-endian on the wire', () => {
    assert.deepEqual([...encodeEmbedding([1])], [0x00, 0x00, 0x80, 0x3f]);
  });

  it('decodes from an unaligned slice of a larger buffer', () => {
    const big = Buffer.concat([Buffer.from([7]), encodeEmbedding([1.5, -2.25])]);
    assert.deepEqual([...decodeEmbedding(big.subarray(1))], [1.5, -2.25]);
  });

  it('rejects a length that is not a multiple of 4', () => {
    assert.throws(() => decodeEmbedding(Buffer.alloc(5)), /multiple of 4/);
  });
});
