import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '@vigil/domain';
import { analysisSize, decodedTooShort, expectedFrames, formatVideoTime, frameTimeMs, listIncluded, parseListChoice, scanStatus, validateAnalysisFps } from './scan-rules';

describe('scan rules', () => {
  it('frame times: frame i of the fps filter is at i / fps', () => {
    const cases: Array<[index: number, fps: number, ms: number]> = [
      [0, 2, 0],
      [1, 2, 500],
      [7, 2, 3500],
      [3, 3, 1000],
      [1, 3, 333],
      [10, 0.5, 20_000],
    ];
    for (const [index, fps, ms] of cases) assert.equal(frameTimeMs(index, fps), ms, `frame ${index} at ${fps} fps`);
  });

  it('analysis size: wide frames are scaled to 1280 with even sides, others kept (evened)', () => {
    const cases: Array<[w: number, h: number, out: { width: number; height: number }]> = [
      [1280, 720, { width: 1280, height: 720 }],
      [1920, 1080, { width: 1280, height: 720 }],
      [3840, 2160, { width: 1280, height: 720 }],
      [640, 480, { width: 640, height: 480 }],
      [641, 361, { width: 642, height: 362 }],
      [2000, 1001, { width: 1280, height: 640 }],
    ];
    for (const [w, h, out] of cases) assert.deepEqual(analysisSize(w, h), out, `${w}x${h}`);
  });

  it('a decode that ends short of the probed duration is a truncated file', () => {
    const cases: Array<[duration: number, frames: number, fps: number, short: boolean]> = [
      [9, 18, 2, false], // whole file
      [9, 17, 2, false], // last frame lost to rounding
      [9.04, 17, 2, false], // container rounds the duration up
      [9, 16, 2, false], // within two intervals + 0.5 s
      [9, 15, 2, false], // exactly at the tolerance
      [9, 14, 2, true],
      [9, 8, 2, true], // cut in half
      [60, 0, 2, true],
      [0, 0, 2, true], // unknown duration and nothing decoded
      [0, 5, 2, false], // unknown duration: cannot judge, something decoded
      [10, 48, 5, false],
      [10, 44, 5, true],
    ];
    for (const [duration, frames, fps, short] of cases) assert.equal(decodedTooShort(duration, frames, fps), short, `${frames} frames at ${fps} fps of ${duration} s`);
  });

  it('expected frames for the progress estimate (at least one)', () => {
    assert.equal(expectedFrames(9, 2), 18);
    assert.equal(expectedFrames(0.1, 2), 1);
    assert.equal(expectedFrames(0, 2), 1);
  });

  it('overall status: any failed file makes it completed_with_errors', () => {
    const cases: Array<[statuses: Array<'ok' | 'failed'>, expected: string]> = [
      [['ok'], 'completed'],
      [['ok', 'ok'], 'completed'],
      [['ok', 'failed'], 'completed_with_errors'],
      [['failed'], 'completed_with_errors'],
      [[], 'completed'],
    ];
    for (const [statuses, expected] of cases) assert.equal(scanStatus(statuses.map((status) => ({ status }))), expected, statuses.join(','));
  });

  it('video times as hh:mm:ss.t', () => {
    const cases: Array<[seconds: number, text: string]> = [
      [0, '00:00:00.0'],
      [3, '00:00:03.0'],
      [83.25, '00:01:23.3'],
      [59.96, '00:01:00.0'],
      [3600 + 61.5, '01:01:01.5'],
      [-1, '00:00:00.0'],
    ];
    for (const [seconds, text] of cases) assert.equal(formatVideoTime(seconds), text, String(seconds));
  });

  it('--list and --fps are checked with messages a person can act on', () => {
    assert.equal(parseListChoice(undefined, 'watchlist'), 'watchlist');
    assert.equal(parseListChoice('all', 'watchlist'), 'all');
    assert.equal(parseListChoice('employee', 'watchlist'), 'employee');
    assert.throws(() => parseListChoice('vip', 'watchlist'), (e: unknown) => e instanceof InvalidInputError && /watchlist, employee or all/.test(e.message));
    for (const bad of [0, -1, Number.NaN, 31, Infinity]) assert.throws(() => validateAnalysisFps(bad), InvalidInputError, String(bad));
    for (const good of [0.5, 2, 5, 30]) assert.equal(validateAnalysisFps(good), good);
  });

  it('which lists a choice reports', () => {
    const cases: Array<[choice: 'watchlist' | 'employee' | 'all', list: 'watchlist' | 'employee', included: boolean]> = [
      ['watchlist', 'watchlist', true],
      ['watchlist', 'employee', false],
      ['employee', 'employee', true],
      ['employee', 'watchlist', false],
      ['all', 'watchlist', true],
      ['all', 'employee', true],
    ];
    for (const [choice, list, included] of cases) assert.equal(listIncluded(choice, list), included, `${choice} / ${list}`);
  });
});
