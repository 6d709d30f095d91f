import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { followRegion } from './follow-region';
import type { Box } from './track-geometry';

const box = (x: number, y: number, width: number, height = width): Box => ({ x, y, width, height });

const CASES: Array<{ name: string; boxes: Box[]; frame: [number, number]; scale?: number; expect: Box | null }> = [
  { name: 'nothing to follow', boxes: [], frame: [640, 360], expect: null },
  { name: 'one face in the middle: 3x its box', boxes: [box(300, 150, 60)], frame: [640, 360], expect: box(240, 90, 180) },
  { name: 'clamped at the frame edge', boxes: [box(0, 0, 50)], frame: [640, 360], expect: box(0, 0, 100, 100) },
  { name: 'two faces: the union of their regions', boxes: [box(100, 100, 40), box(400, 120, 40)], frame: [640, 360], expect: box(60, 60, 420, 140) },
  { name: 'a big face near the corner: clamped on two sides', boxes: [box(200, 50, 250)], frame: [1280, 720], expect: box(0, 0, 700, 550) },
  { name: 'another scale', boxes: [box(300, 150, 60)], frame: [640, 360], scale: 2, expect: box(270, 120, 120) },
  { name: 'degenerate boxes are ignored', boxes: [box(10, 10, 0)], frame: [640, 360], expect: null },
  { name: 'a box off the frame leaves too little to search', boxes: [box(700, 100, 10)], frame: [640, 360], expect: null },
];

describe('followRegion', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.deepEqual(followRegion(c.boxes, c.frame[0], c.frame[1], { scale: c.scale }), c.expect);
    });
  }

  it('always inside the frame, covering every followed face', () => {
    for (let i = 0; i < 500; i++) {
      const w = 320 + ((i * 37) % 1600);
      const h = 240 + ((i * 53) % 900);
      const faces = Array.from({ length: 1 + (i % 3) }, (_, k) => box(((i + k) * 97) % (w - 20), ((i + k) * 61) % (h - 20), 20 + ((i * k + 13) % 120)));
      const r = followRegion(faces, w, h);
      if (!r) continue;
      assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h, 'inside the frame');
      for (const f of faces) {
        const cx = f.x + f.width / 2;
        const cy = f.y + f.height / 2;
        if (cx < w && cy < h) assert.ok(cx >= r.x && cx <= r.x + r.width && cy >= r.y && cy <= r.y + r.height, 'covers each face centre');
      }
    }
  });
});
