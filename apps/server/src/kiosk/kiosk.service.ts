import { Injectable } from '@nestjs/common';
import type { Principal } from '@vigil/auth';
import type { KioskCheckView } from '@vigil/contracts';
import { assessFaceQuality, InvalidInputError, resolveQualityThresholds } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { largestFace } from '@vigil/vision';
import { InferenceService } from '../inference/inference.service';
import { DecisionDispatcher } from '../recognition/decision-dispatcher';
import { GalleryMatcher } from '../recognition/gallery-matcher.service';

/** The shape lives in @vigil/contracts: the kiosk screen renders it. */
export type KioskDecision = KioskCheckView;

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
 * cameras. A watchlist person at a kiosk is told nothing different, but raises an alert.
 */
@Injectable()
export class KioskService {
  private readonly quality = resolveQualityThresholds('recognition');

  constructor(
    private readonly db: Database,
    private readonly inference: InferenceService,
    private readonly matcher: GalleryMatcher,
    private readonly decisions: DecisionDispatcher,
  ) {}

  async check(kiosk: Principal, image: { buffer: Buffer } | undefined): Promise<KioskDecision> {
    if (!image || image.buffer.length === 0) throw new InvalidInputError('Send the camera frame as multipart/form-data in the field "image".');
    const pool = await this.inference.acquire();
    const faces = await pool.detectImage(Buffer.from(image.buffer), { detector: 'ssd', descriptors: true });
    if (faces.length === 0) return { decision: 'no_face', message: 'No face found — please look at the camera.' };
    if (faces.length > 1) return { decision: 'multiple_faces', message: 'One person at a time, please.' };
    const face = largestFace(faces)!;
    const verdict = assessFaceQuality(face.quality, this.quality);
    if (!verdict.ok) {
      return { decision: 'retry', reasons: verdict.reasons, message: `Please try again: ${verdict.reasons.map((r) => REASON_TEXT[r] ?? r).join(', ')}.` };
    }
    await this.matcher.settled();
    const match = this.matcher.match(face.descriptor!);
    if (match.kind !== 'match') return { decision: 'not_recognised', message: 'Not recognised. Please ask at the front desk.' };
    const dispatched = { personId: match.personId, list: match.list, score: match.score, distance: match.distance, at: new Date(), modelVersionId: this.matcher.modelVersionId, origin: { kind: 'kiosk' as const, tokenId: kiosk.tokenId } };
    if (match.list === 'watchlist') {
      // Same cooldown as the cameras: a person standing at the kiosk raises one alert, not one per frame.
      await this.decisions.match(dispatched);
      return { decision: 'not_recognised', message: 'Not recognised. Please ask at the front desk.' };
    }
    const person = await this.db.repos.persons.findById(match.personId);
    if (!person) return { decision: 'not_recognised', message: 'Not recognised. Please ask at the front desk.' };
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
}
