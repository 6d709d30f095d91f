import { Injectable } from '@nestjs/common';
import type { Principal } from '@vigil/auth';
import type { KioskCheckView } from '@vigil/contracts';
import { assessFaceQuality, InvalidInputError, kioskReveal, PayloadTooLargeError, resolveQualityThresholds, UnavailableError } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { largestFace, PoolJobError, type DetectedFace } from '@vigil/vision';
import { InferenceService } from '../inference/inference.service';
import { Metrics } from '../metrics/metrics';
import { DecisionDispatcher } from '../recognition/decision-dispatcher';
import { GalleryMatcher } from '../recognition/gallery-matcher.service';
import { KioskLivenessService, MAX_CHALLENGE_FRAMES } from './kiosk-liveness.service';

/** The shape lives in @vigil/contracts: the kiosk screen renders it. */
export type KioskDecision = KioskCheckView;

/** The one answer for a stranger, a watchlist person and an employee matched without confidence. */
const notRecognised = (): KioskDecision => ({ decision: 'not_recognised', message: 'Not recognised. Please ask at the front desk.' });
/** What a failed challenge says: the same whatever the reason, so it teaches an attacker nothing. */
const notLive = (reason: string): KioskDecision => ({ decision: 'not_live', reason, message: 'Could not confirm a live person — please try again and turn your head as shown.' });
/** All frames of one challenge together; each is a small webcam JPEG (~50–300 kB). */
const MAX_CHALLENGE_BYTES = 16 * 1024 * 1024;
/** A full kiosk lane frees up within about one analysis (~0.5 s on CPU). */
const BUSY_RETRY_SECONDS = 1;

const REASON_TEXT: Record<string, string> = {
  too_small: 'come closer',
  blurry: 'too blurry — hold still',
  too_dark: 'too dark',
  washed_out: 'too bright',
  clipped: 'too bright',
  pose_yaw: 'look straight at the camera',
  pose_roll: 'keep your head level',
  low_score: 'face not clear',
};

/**
 * One kiosk frame → a decision a person can act on. Same matcher and attendance rules as the
 * cameras. A name is said (and attendance booked) only on a confident employee match (kioskReveal);
 * a stranger, a watchlist person and an unconfident match all get the same "not recognised". A
 * watchlist person is told nothing different, but raises an alert (the cameras' cooldown applies).
 * Frames are analysed in the inference pool's own kiosk lane, so kiosks never push camera frames out.
 */
@Injectable()
export class KioskService {
  private readonly quality = resolveQualityThresholds('recognition');

  constructor(
    private readonly db: Database,
    private readonly inference: InferenceService,
    private readonly matcher: GalleryMatcher,
    private readonly decisions: DecisionDispatcher,
    private readonly metrics: Metrics,
    private readonly liveness: KioskLivenessService,
  ) {}

  /**
   * One frame, or — for a kiosk whose token requires liveness, or any caller that sends a nonce —
   * the challenge's frames in capture order. A liveness kiosk's single frame only says whether
   * someone is there (no_face / multiple_faces / liveness_required): its idle loop, cheap.
   * Nothing is matched, booked or alerted until the challenge passes; then the frontal-most frame
   * goes the one-frame way. A full kiosk lane mid-challenge is a 503; the nonce is spent and the
   * kiosk starts over with a new challenge.
   */
  async check(kiosk: Principal, images: ReadonlyArray<{ buffer: Buffer }>, nonce?: string): Promise<KioskDecision> {
    if (images.length === 0 || images.some((i) => i.buffer.length === 0)) throw new InvalidInputError('Send the camera frame as multipart/form-data in the field "image".');
    if (images.length > MAX_CHALLENGE_FRAMES) throw new InvalidInputError(`Send at most ${MAX_CHALLENGE_FRAMES} frames.`);
    if (!nonce) {
      if (images.length > 1) throw new InvalidInputError('Several frames are the answer to a liveness challenge; send the challenge\'s nonce with them.');
      const required = await this.liveness.required(kiosk);
      const faces = await this.detect(images[0]!.buffer);
      if (faces.length === 0) return { decision: 'no_face', message: 'No face found — please look at the camera.' };
      if (faces.length > 1) return { decision: 'multiple_faces', message: 'One person at a time, please.' };
      // Someone is there, but one frame proves nothing: the kiosk must run the challenge. Nothing is matched.
      if (required) return this.liveness.challengeRequired();
      return this.decide(kiosk, largestFace(faces)!);
    }
    if (images.reduce((n, i) => n + i.buffer.length, 0) > MAX_CHALLENGE_BYTES) throw new PayloadTooLargeError(`The frames of one challenge may total at most ${MAX_CHALLENGE_BYTES / 1024 / 1024} MiB; send smaller JPEGs.`);
    // Consumed before any analysis: a replay (even a concurrent one) is refused whatever its frames.
    const action = await this.liveness.consume(kiosk, nonce);
    const frames: DetectedFace[][] = [];
    // One at a time: the kiosk lane is small by design, and a challenge must not crowd other kiosks out.
    for (const image of images) {
      const faces = await this.detect(image.buffer);
      frames.push(faces);
      // The verdict will be no_face / multiple_faces whatever follows: spare the lane the rest.
      if (faces.length !== 1) break;
    }
    const verdict = await this.liveness.assess(action, frames, images);
    if (!verdict.live) return notLive(verdict.reason);
    return this.decide(kiosk, frames[verdict.frontalIndex]![0]!);
  }

  /** One face (from a single frame, or a passed challenge's frontal frame) → the decision. */
  private async decide(kiosk: Principal, face: DetectedFace): Promise<KioskDecision> {
    const verdict = assessFaceQuality(face.quality, this.quality);
    if (!verdict.ok) {
      return { decision: 'retry', reasons: verdict.reasons, message: `Please try again: ${verdict.reasons.map((r) => REASON_TEXT[r] ?? r).join(', ')}.` };
    }
    await this.matcher.settled();
    const match = this.matcher.match(face.descriptor!);
    if (match.kind !== 'match') return notRecognised();
    const dispatched = { personId: match.personId, list: match.list, score: match.score, distance: match.distance, at: new Date(), modelVersionId: this.matcher.modelVersionId, origin: { kind: 'kiosk' as const, tokenId: kiosk.tokenId } };
    if (match.list === 'watchlist') {
      // Same cooldown as the cameras: a person standing at the kiosk raises one alert, not one per frame.
      await this.decisions.match(dispatched);
      return notRecognised();
    }
    const reveal = kioskReveal(match, this.matcher.policy);
    if (!reveal.reveal) {
      // Not sure enough to say a name to whoever stands here, so not sure enough to book either.
      this.metrics.kioskWithheld.inc({ reason: reveal.reason });
      return notRecognised();
    }
    const person = await this.db.repos.persons.findById(match.personId);
    if (!person) return notRecognised();
    const who = { id: person.id, name: person.name };
    const outcome = await this.decisions.match(dispatched);
    if (outcome.kind !== 'attendance') throw new Error(`an employee match was dispatched as ${outcome.kind}`);
    const { decision, event } = outcome;
    if (!event || decision.kind === 'ignore') {
      return { decision: 'already_recorded', person: who, reason: decision.reason, message: `Already recorded, ${person.name}.` };
    }
    const time = new Date(event.at).toISOString();
    return decision.kind === 'in'
      ? { decision: 'checked_in', person: who, at: time, score: match.score, message: `Checked in, ${person.name}.` }
      : { decision: 'checked_out', person: who, at: time, score: match.score, message: `Checked out, ${person.name}.` };
  }

  /** Detection in the kiosk lane; a full lane is a 503 the kiosk retries after a second. */
  private async detect(buffer: Buffer): Promise<DetectedFace[]> {
    const pool = await this.inference.acquire();
    try {
      return await pool.detectImage(Buffer.from(buffer), { detector: 'ssd', descriptors: true }, { lane: 'kiosk' });
    } catch (error) {
      if (!(error instanceof PoolJobError) || error.reason !== 'busy') throw error;
      this.metrics.kioskRefused.inc({ reason: 'busy' });
      throw new UnavailableError('The kiosk service is busy right now; try again in a moment.', { retryAfterSeconds: BUSY_RETRY_SECONDS });
    }
  }
}
