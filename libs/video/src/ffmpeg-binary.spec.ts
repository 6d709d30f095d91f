import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { locateFfmpeg, parseFfmpegMajor } from './ffmpeg-binary';

describe('parseFfmpegMajor', () => {
  const cases: Array<[string, number]> = [
    ['ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers', 5],
    ['ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers', 4],
    ['ffmpeg version 7.0.1 Copyright (c) 2000-2024 the FFmpeg developers', 7],
    ['ffmpeg version n6.1 Copyright (c) 2000-2023 the FFmpeg developers', 6],
    ['ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers', 4],
    ['ffmpeg version N-110000-gabcdef Copyright (c) 2000-2023 the FFmpeg developers', 5],
  ];
  for (const [text, major] of cases) it(text.slice(0, 40), () => assert.equal(parseFfmpegMajor(text), major));
  it('refuses output it cannot read', () => assert.throws(() => parseFfmpegMajor('bash: ffmpeg: not found'), /cannot tell/));
});

describe('locateFfmpeg', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-ffbin-'));
  const fake = path.join(dir, 'ffmpeg');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);
  it('prefers FFMPEG_PATH', () => assert.equal(locateFfmpeg({ FFMPEG_PATH: fake, PATH: '/nonexistent' }), fake));
  it('refuses an unusable FFMPEG_PATH', () => assert.throws(() => locateFfmpeg({ FFMPEG_PATH: path.join(dir, 'nope') }), /not an executable/));
  it('then searches PATH', () => assert.equal(locateFfmpeg({ PATH: `/nonexistent:${dir}` }), fake));
  it('falls back to @ffmpeg-installer', () => assert.match(locateFfmpeg({ PATH: '/nonexistent' }), /@ffmpeg-installer/));
  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
