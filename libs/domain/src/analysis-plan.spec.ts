import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { afterFollow, INITIAL_FOLLOW_STATE, openTrackBoxes, planAnalysis, type AnalysisPlan, type FollowState, type PlannedTrack } from './analysis-plan';

const FRAME = { at: 10_000, width: 640, height: 360 };
const face = { x: 300, y: 150, width: 60, height: 60 };
const REGION = { x: 240, y: 90, width: 180, height: 180 };
const track = (over: Partial<PlannedTrack> = {}): PlannedTrack => ({ decided: false, startedAt: 9_000, lastSeenAt: 9_800, lastBox: face, ...over });
const follow: AnalysisPlan = { kind: 'follow', lane: 'urgent', region: REGION };

const CASES: Array<{ name: string; tracks: PlannedTrack[]; state?: FollowState; plan: AnalysisPlan; next: FollowState }> = [
  { name: 'no track: a normal scan', tracks: [], plan: { kind: 'scan', lane: 'normal' }, next: INITIAL_FOLLOW_STATE },
  { name: 'an undecided track seen lately: follow it, urgently', tracks: [track()], plan: follow, next: { followsInARow: 1, followMissed: false } },
  { name: 'the second follow in a row', tracks: [track()], state: { followsInARow: 1, followMissed: false }, plan: follow, next: { followsInARow: 2, followMissed: false } },
  { name: 'after two follows: an urgent scan of the whole frame', tracks: [track()], state: { followsInARow: 2, followMissed: false }, plan: { kind: 'scan', lane: 'urgent' }, next: INITIAL_FOLLOW_STATE },
  { name: 'after a follow that found nothing: an urgent scan', tracks: [track()], state: { followsInARow: 1, followMissed: true }, plan: { kind: 'scan', lane: 'urgent' }, next: INITIAL_FOLLOW_STATE },
  { name: 'a decided track needs nothing more', tracks: [track({ decided: true })], state: { followsInARow: 1, followMissed: false }, plan: { kind: 'scan', lane: 'normal' }, next: INITIAL_FOLLOW_STATE },
  { name: 'a track not seen for over 2 s is not urgent', tracks: [track({ lastSeenAt: 7_999 })], plan: { kind: 'scan', lane: 'normal' }, next: INITIAL_FOLLOW_STATE },
  { name: 'seen exactly 2 s ago still is', tracks: [track({ lastSeenAt: 8_000 })], plan: follow, next: { followsInARow: 1, followMissed: false } },
  { name: 'a track started over 4 s ago is not urgent any more', tracks: [track({ startedAt: 5_999 })], plan: { kind: 'scan', lane: 'normal' }, next: INITIAL_FOLLOW_STATE },
  {
    name: 'only the open tracks are followed',
    tracks: [track(), track({ decided: true, lastBox: { x: 0, y: 0, width: 60, height: 60 } })],
    plan: follow,
    next: { followsInARow: 1, followMissed: false },
  },
  { name: 'a face box off the frame cannot be followed: an urgent scan', tracks: [track({ lastBox: { x: 700, y: 100, width: 10, height: 10 } })], plan: { kind: 'scan', lane: 'urgent' }, next: INITIAL_FOLLOW_STATE },
];

describe('planAnalysis', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.deepEqual(planAnalysis(c.tracks, c.state ?? INITIAL_FOLLOW_STATE, FRAME), { plan: c.plan, next: c.next });
    });
  }

  it('a walking face: scan finds it, two follows, a scan, and so on until the vote decides', () => {
    let state = INITIAL_FOLLOW_STATE;
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { plan, next } = planAnalysis([track({ lastSeenAt: FRAME.at })], state, FRAME);
      kinds.push(plan.kind);
      state = plan.kind === 'follow' ? afterFollow(next, 1) : next;
    }
    assert.deepEqual(kinds, ['follow', 'follow', 'scan', 'follow', 'follow', 'scan']);
  });

  it('afterFollow remembers a miss and forgets it after a hit', () => {
    assert.deepEqual(afterFollow({ followsInARow: 1, followMissed: false }, 0), { followsInARow: 1, followMissed: true });
    assert.deepEqual(afterFollow({ followsInARow: 1, followMissed: true }, 2), { followsInARow: 1, followMissed: false });
  });

  it('open tracks (the ones that make every frame count, even a still one): undecided, seen within 2 s, started within 4 s', () => {
    const cases: Array<[PlannedTrack, boolean]> = [
      [track(), true],
      [track({ decided: true }), false],
      [track({ lastSeenAt: 7_999 }), false],
      [track({ startedAt: 5_999 }), false],
    ];
    for (const [t, open] of cases) assert.equal(openTrackBoxes([t], FRAME.at).length === 1, open, JSON.stringify(t));
    assert.deepEqual(openTrackBoxes([track(), track({ decided: true })], FRAME.at), [face]);
  });
});
