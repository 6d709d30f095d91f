import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FileTally, type FileCounts, type TallyDecision } from './file-tally';
import type { ScanListChoice } from './scan-types';

type Event = { face: string } | TallyDecision;

function run(choice: ScanListChoice, events: Event[]): { counts: FileCounts; reported: boolean[] } {
  const tally = new FileTally(choice);
  const reported: boolean[] = [];
  for (const e of events) {
    if ('face' in e) tally.face(e.face);
    else reported.push(tally.decision(e));
  }
  return { counts: tally.counts(), reported };
}

const face = (trackId: string): Event => ({ face: trackId });
const match = (trackId: string, list: 'watchlist' | 'employee' = 'watchlist'): Event => ({ kind: 'match', trackId, list });
const unknown = (trackId: string): Event => ({ kind: 'unknown', trackId });

describe('FileTally (per-file counts of a scan)', () => {
  const cases: Array<{ name: string; choice: ScanListChoice; events: Event[]; counts: FileCounts; reported: boolean[] }> = [
    {
      name: 'nobody in sight',
      choice: 'watchlist',
      events: [],
      counts: { facesSeen: 0, tracks: 0, matches: 0, otherListMatches: 0, strangers: 0, undecided: 0 },
      reported: [],
    },
    {
      name: 'a stranger, then a watchlist person, then an employee at the same spot',
      choice: 'watchlist',
      events: [face('a'), face('a'), face('a'), unknown('a'), face('b'), face('b'), face('b'), match('b'), face('c'), face('c'), face('c'), match('c', 'employee')],
      counts: { facesSeen: 9, tracks: 3, matches: 1, otherListMatches: 1, strangers: 1, undecided: 0 },
      reported: [false, true, false],
    },
    {
      name: 'all lists: the employee is reported too',
      choice: 'all',
      events: [face('b'), match('b'), face('c'), match('c', 'employee')],
      counts: { facesSeen: 2, tracks: 2, matches: 2, otherListMatches: 0, strangers: 0, undecided: 0 },
      reported: [true, true],
    },
    {
      name: 'a track decided unknown and re-opened into a match is no stranger',
      choice: 'watchlist',
      events: [face('a'), unknown('a'), face('a'), match('a')],
      counts: { facesSeen: 2, tracks: 1, matches: 1, otherListMatches: 0, strangers: 0, undecided: 0 },
      reported: [false, true],
    },
    {
      name: 'a face seen too briefly or too poorly stays undecided',
      choice: 'watchlist',
      events: [face('a'), face('b'), face('b'), face('b'), unknown('b')],
      counts: { facesSeen: 4, tracks: 2, matches: 0, otherListMatches: 0, strangers: 1, undecided: 1 },
      reported: [false],
    },
    {
      name: 'employee list only: watchlist matches are counted, not reported',
      choice: 'employee',
      events: [face('a'), match('a'), face('b'), match('b', 'employee')],
      counts: { facesSeen: 2, tracks: 2, matches: 1, otherListMatches: 1, strangers: 0, undecided: 0 },
      reported: [false, true],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { counts, reported } = run(c.choice, c.events);
      assert.deepEqual(counts, c.counts);
      assert.deepEqual(reported, c.reported);
    });
  }
});
