import { createHash } from 'node:crypto';
import { InvalidInputError } from './errors';

/**
 * Which decisions go into the review queue besides alerts (which all do). A seeded hash, not
 * Math.random: the same seed and decision key always give the same answer, so a sample can be
 * reproduced and a test can compute exactly which decisions must have been kept.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A uniform number in [0, 1) derived from the seed and a key naming the decision. */
export function sampleDraw(seed: number, key: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${key}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export interface SampleInput {
  seed: number;
  /** Names the decision: kind + camera + event id or time. Unique per decision. */
  key: string;
  /** Share of decisions kept, 0..1. */
  rate: number;
  /** Items of this kind already kept for this camera on this local day. */
  takenToday: number;
  /** At most this many per camera and local day. */
  dailyCap: number;
}

export type SampleDecision = { keep: true } | { keep: false; reason: 'rate_zero' | 'not_drawn' | 'daily_cap' };

/** Kept when the draw falls under the rate and the camera's daily cap is not reached yet. */
export function decideSample(input: SampleInput): SampleDecision {
  const { rate, takenToday, dailyCap } = input;
  if (!(rate >= 0 && rate <= 1)) throw new InvalidInputError('sample rate must be between 0 and 1');
  if (!Number.isInteger(takenToday) || takenToday < 0) throw new InvalidInputError('takenToday must be a non-negative integer');
  if (!Number.isInteger(dailyCap) || dailyCap < 0) throw new InvalidInputError('dailyCap must be a non-negative integer');
  if (rate === 0) return { keep: false, reason: 'rate_zero' };
  if (takenToday >= dailyCap) return { keep: false, reason: 'daily_cap' };
  return sampleDraw(input.seed, input.key) < rate ? { keep: true } : { keep: false, reason: 'not_drawn' };
}

/** When a kept item (and its crop) must be gone: `days` whole days after the decision. */
export function retentionExpiry(at: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1) throw new InvalidInputError('retention must be a whole number of days, at least 1');
  return new Date(at.getTime() + days * DAY_MS);
}
