import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cameraSettings } from './camera-settings';

describe('cameraSettings', () => {
  const defaults = { motionSensitivity: 0.5, stallSeconds: 10, frozenSeconds: 30, analyseEverySeconds: 2 };
  const cases: Array<[string, Record<string, unknown> | null, Partial<typeof defaults>]> = [
    ['null → defaults', null, {}],
    ['empty → defaults', {}, {}],
    ['valid values kept', { motionSensitivity: 0.9, stallSeconds: 5 }, { motionSensitivity: 0.9, stallSeconds: 5 }],
    ['bounds inclusive', { motionSensitivity: 0, frozenSeconds: 3600 }, { motionSensitivity: 0, frozenSeconds: 3600 }],
    ['out of bounds → default', { stallSeconds: 1, frozenSeconds: 99999 }, {}],
    ['wrong types → default', { motionSensitivity: '0.9', stallSeconds: null, analyseEverySeconds: NaN }, {}],
    ['unknown keys ignored', { colour: 'red' }, {}],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => assert.deepEqual(cameraSettings(raw), { ...defaults, ...expected }));
  }
});
