import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CameraRecogniser, type RecogniserFace } from './camera-recogniser';
import { resolveQualityThresholds } from './quality';
import { box, face, fakeMatcher, GOOD_QUALITY, TURNED_AWAY } from './testing/faces';

// Gallery: Walter on the watchlist (face 1), Emma an employee (face 2). Face 3 is a stranger.
const matcher = fakeMatcher([
  { personId: 'walter', list: 'watchlist', person: 1 },
  { personId: 'emma', list: 'employee', person: 2 },
]);
const W = 1;
const E = 2;
const S = 3;

/** Person p seen at x (distance d from their enrolled face), in good quality unless `away`. */
const at = (p: number, x = 100, d = 0.1, away = false): RecogniserFace => ({ box: box(x), descriptor: face(p, d), quality: away ? TURNED_AWAY : GOOD_QUALITY });
const times = (n: number, frame: RecogniserFace[]): RecogniserFace[][] => Array.from({ length: n }, () => frame);

/** Feeds one analysis per second; returns decisions as "kind:person@track" and every attempt. */
function play(frames: RecogniserFace[][]) {
  const r = new CameraRecogniser({ quality: resolveQualityThresholds('recognition') });
  const decisions: string[] = [];
  const attempts = frames.flatMap((faces, i) => {
    const result = r.analyse(i * 1000, faces, matcher);
    for (const d of result.decisions) decisions.push(d.kind === 'match' ? `match:${d.personId}@${d.trackId}${d.reopened ? ' (reopened)' : ''}` : `unknown@${d.trackId}`);
    return result.attempts;
  });
  return { decisions, attempts, recogniser: r };
}

describe('CameraRecogniser', () => {
  const cases: Array<{ name: string; frames: RecogniserFace[][]; decisions: string[] }> = [
    {
      name: 'queue at a door: stranger, watchlist person, employee at the same spot — each decided on their own track',
      frames: [...times(3, [at(S)]), ...times(3, [at(W)]), ...times(3, [at(E)])],
      decisions: ['unknown@t1', 'match:walter@t2', 'match:emma@t3'],
    },
    {
      name: 'the same queue in the other order',
      frames: [...times(3, [at(E)]), ...times(3, [at(W)]), ...times(3, [at(S)])],
      decisions: ['match:emma@t1', 'match:walter@t2', 'unknown@t3'],
    },
    {
      name: 'the queue looping: every passage is a new track and a new decision',
      frames: [...times(3, [at(W)]), ...times(3, [at(E)]), ...times(3, [at(W)]), ...times(3, [at(E)])],
      decisions: ['match:walter@t1', 'match:emma@t2', 'match:walter@t3', 'match:emma@t4'],
    },
    {
      name: 'person change mid-track: an undecided track is not inherited by the next face',
      frames: [...times(2, [at(W)]), ...times(3, [at(E)])],
      decisions: ['match:emma@t2'],
    },
    {
      name: 'a person standing still for minutes is decided once',
      frames: times(30, [at(W)]),
      decisions: ['match:walter@t1'],
    },
    {
      name: 're-opened unknown: poor first sightings decide unknown, a later good match re-opens the vote',
      // 0.6 from the reference: above the watchlist threshold (0.40) → unknown sightings.
      frames: [...times(3, [at(W, 100, 0.6)]), ...times(3, [at(W, 100, 0.15)])],
      decisions: ['unknown@t1', 'match:walter@t1 (reopened)'],
    },
    {
      name: 'occlusion: the face vanishes for 3 s and returns — same track, no second decision',
      frames: [...times(3, [at(W)]), [], [], [], ...times(3, [at(W)])],
      decisions: ['match:walter@t1'],
    },
    {
      name: 'turned away: refused sightings do not count; the vote waits for good ones',
      frames: [...times(4, [at(W, 100, 0.1, true)]), ...times(3, [at(W)])],
      decisions: ['match:walter@t1'],
    },
    {
      name: 'two people side by side: each their own track and decision, never crossed',
      frames: times(3, [at(W, 100), at(E, 500)]),
      decisions: ['match:walter@t1', 'match:emma@t2'],
    },
    {
      name: 'two people side by side swapping places while the votes gather',
      frames: [[at(W, 100), at(E, 350)], [at(E, 100), at(W, 350)], [at(W, 100), at(E, 350)]],
      decisions: ['match:walter@t1', 'match:emma@t2'],
    },
    {
      name: 'a stranger next to the watchlist person is never given his name',
      frames: times(3, [at(S, 100), at(W, 350)]),
      decisions: ['unknown@t1', 'match:walter@t2'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(play(c.frames).decisions, c.decisions));

  it('every face leaves an attempt: quality verdict, nearest person against the threshold, what it counted as, the vote', () => {
    const { attempts } = play([[at(W, 100, 0.1, true)], ...times(3, [at(W)]), [at(E)]]);
    assert.deepEqual(
      attempts.map((a) => [a.trackId, a.sighting, a.quality.ok, a.nearest?.personId, a.vote.state, a.vote.personId, a.replacedTrackId]),
      [
        ['t1', 'low_quality', false, 'walter', 'pending', null, null],
        ['t1', 'match', true, 'walter', 'pending', null, null],
        ['t1', 'match', true, 'walter', 'pending', null, null],
        ['t1', 'match', true, 'walter', 'match', 'walter', null],
        ['t2', 'match', true, 'emma', 'pending', null, 't1'],
      ],
    );
    assert.deepEqual(attempts[0]!.quality.reasons, ['pose_yaw']);
    assert.equal(attempts[1]!.nearest!.threshold, 0.4, "the watchlist's threshold");
    assert.ok(Math.abs(attempts[1]!.nearest!.distance - 0.1) < 1e-6);
    const stranger = play([[at(S)]]).attempts[0]!;
    assert.equal(stranger.sighting, 'unknown');
    assert.ok(stranger.nearest && stranger.nearest.distance > 1.4, 'a stranger still shows who came nearest, and how far');
  });

  it('a decided track re-checks each face: the same person shows as "decided", the next person replaces it', () => {
    const { attempts } = play([...times(4, [at(W)]), [at(S)]]);
    assert.deepEqual(attempts.map((a) => a.sighting), ['match', 'match', 'match', 'decided', 'unknown']);
    assert.equal(attempts[4]!.replacedTrackId, 't1');
  });

  it('plans: an undecided track makes the camera urgent, a decided one does not; a re-opened one again', () => {
    const r = new CameraRecogniser({ quality: resolveQualityThresholds('recognition') });
    r.analyse(0, [at(W, 100, 0.6)], matcher);
    assert.deepEqual(r.plannedTracks().map((t) => t.decided), [false]);
    r.analyse(1000, [at(W, 100, 0.6)], matcher);
    r.analyse(2000, [at(W, 100, 0.6)], matcher);
    assert.deepEqual(r.plannedTracks().map((t) => t.decided), [true]);
    r.analyse(3000, [at(W, 100, 0.15)], matcher);
    assert.deepEqual(r.plannedTracks().map((t) => [t.decided, t.startedAt]), [[false, 3000]], 're-opened: urgent, its window counted from the re-opening');
  });

  it('overlay: the last analysis, with each face\'s vote state; reset forgets everything', () => {
    const { recogniser } = play(times(3, [at(W, 100), at(S, 500)]));
    assert.deepEqual(
      recogniser.overlay().faces.map((f) => [f.trackId, f.state, f.personId, f.list]),
      [['t1', 'match', 'walter', 'watchlist'], ['t2', 'unknown', null, null]],
    );
    assert.equal(recogniser.overlay().at, 2000);
    recogniser.reset();
    assert.deepEqual(recogniser.overlay().faces, []);
    assert.deepEqual(recogniser.plannedTracks(), []);
  });
});
