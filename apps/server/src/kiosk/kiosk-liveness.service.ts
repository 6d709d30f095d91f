import { createHash, randomBytes, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { allowanceKeyOf, type Principal } from '@vigil/auth';
import type { KioskChallengeView, KioskCheckView } from '@vigil/contracts';
import {
  assessLiveness,
  ConflictError,
  DEFAULT_LIVENESS_THRESHOLDS,
  InvalidInputError,
  LIVENESS_ACTIONS,
  LIVENESS_PROMPTS,
  type LivenessAction,
  type LivenessFrame,
  type LivenessVerdict,
  withTexturePlanarity,
} from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { decodeGrey, texturePlanarity, type DetectedFace } from '@vigil/vision';
import { Metrics } from '../metrics/metrics';
import { GalleryMatcher } from '../recognition/gallery-matcher.service';

/** Long enough to read the prompt, turn and upload ~5 frames on a slow link; short enough that a nonce is worthless soon. */
export const CHALLENGE_TTL_SECONDS = 15;
export const CHALLENGE_FRAMES = 5;
export const CHALLENGE_CAPTURE_MS = 2000;
/** The most frames one check may carry. */
export const MAX_CHALLENGE_FRAMES = 8;
/** Expired challenges are kept this long (a replay still gets "already used"/"expired"), then deleted. */
const EXPIRED_KEPT_SECONDS = 3600;

export const LIVENESS_REQUIRED_MESSAGE =
  'This kiosk must run the liveness challenge: ask for one (POST /api/kiosk/challenge), then send its nonce with the frames. Nothing was booked.';

const REFUSED_MESSAGES = {
  used: 'This challenge was already used; the kiosk must ask for a new one.',
  expired: 'This challenge has expired; the kiosk must ask for a new one.',
  unknown: 'This kiosk was not given that challenge; it must ask for a new one.',
} as const;

const hashNonce = (nonce: string): Buffer => createHash('sha256').update(nonce, 'utf8').digest();

/**
 * The kiosk's active liveness challenge: issue (random side, stored, short-lived, bound to the
 * asking kiosk), consume (once, atomically, on any api process) and judge the frames (the pure
 * rule is assessLiveness in @vigil/domain; identity is judged at the employee threshold in force).
 */
@Injectable()
export class KioskLivenessService {
  constructor(
    private readonly db: Database,
    private readonly matcher: GalleryMatcher,
    private readonly metrics: Metrics,
  ) {}

  /** Whether this principal's checks need the challenge: kiosk tokens set to 'required'. */
  async required(kiosk: Principal): Promise<boolean> {
    if (!kiosk.tokenId || kiosk.role !== 'kiosk') return false;
    const token = await this.db.repos.tokens.findById(kiosk.tokenId);
    return token?.liveness === 'required';
  }

  async issue(kiosk: Principal): Promise<KioskChallengeView> {
    const action: LivenessAction = LIVENESS_ACTIONS[randomInt(LIVENESS_ACTIONS.length)]!;
    const nonce = randomBytes(32).toString('base64url');
    const { expiresAt } = await this.db.transaction(async (repos) => {
      await repos.kioskChallenges.deleteExpired(EXPIRED_KEPT_SECONDS);
      return repos.kioskChallenges.issue({ nonceHash: hashNonce(nonce), principalKey: allowanceKeyOf(kiosk), tokenId: kiosk.tokenId, action, ttlSeconds: CHALLENGE_TTL_SECONDS });
    });
    this.metrics.kioskLiveness.inc({ outcome: 'issued' });
    return { nonce, action, prompt: LIVENESS_PROMPTS[action], expiresAt: new Date(expiresAt).toISOString(), frames: CHALLENGE_FRAMES, captureMs: CHALLENGE_CAPTURE_MS };
  }

  /** The challenge's action; a used, expired or foreign nonce is refused (409/400) and counted. */
  async consume(kiosk: Principal, nonce: string): Promise<LivenessAction> {
    const result = await this.db.repos.kioskChallenges.consume(hashNonce(nonce), allowanceKeyOf(kiosk));
    if ('action' in result) return result.action;
    this.metrics.kioskLiveness.inc({ outcome: `nonce_${result.refused}` });
    const message = REFUSED_MESSAGES[result.refused];
    throw result.refused === 'unknown' ? new InvalidInputError(message, { code: 'challenge_unknown' }) : new ConflictError(message, { code: `challenge_${result.refused}` });
  }

  /** The answer to one frame with a face from a kiosk that must run the challenge. */
  challengeRequired(): KioskCheckView {
    this.metrics.kioskLiveness.inc({ outcome: 'nonce_missing' });
    return { decision: 'liveness_required', message: LIVENESS_REQUIRED_MESSAGE };
  }

  /**
   * Judges the frames (faces found in each, in capture order; `images` the frames themselves) and
   * counts the outcome. The pixel check runs only on a sequence the landmarks already call live:
   * it decodes two frames and costs ~0.1 s.
   */
  async assess(action: LivenessAction, frames: readonly DetectedFace[][], images: ReadonlyArray<{ buffer: Buffer }>): Promise<LivenessVerdict> {
    // Identity is compared at the employee threshold in force, so in the space it was calibrated in.
    const inSpace = (d: DetectedFace['descriptor']) => (d ? this.matcher.inMatchSpace(d) : d);
    const measured: LivenessFrame[] = frames.map((faces) => (faces.length === 1 ? { faces: 1, landmarks: faces[0]!.landmarks, descriptor: inSpace(faces[0]!.descriptor) } : { faces: faces.length }));
    const t = { ...DEFAULT_LIVENESS_THRESHOLDS, maxIdentityDistance: this.matcher.policy.thresholds.employee };
    let verdict = assessLiveness(action, measured, t);
    if (verdict.live) {
      const { frontalIndex: f, turnedIndex: u } = verdict;
      const planarity = texturePlanarity(await decodeGrey(images[f]!.buffer), frames[f]![0]!.landmarks, await decodeGrey(images[u]!.buffer), frames[u]![0]!.landmarks);
      verdict = withTexturePlanarity(verdict, planarity, t);
    }
    this.metrics.kioskLiveness.inc({ outcome: verdict.live ? 'live' : verdict.reason });
    return verdict;
  }
}
