import type * as Tf from '@tensorflow/tfjs';
import { DESCRIPTOR_LENGTH, InvalidInputError, makeHead, NORMALISED_DESCRIPTOR_LENGTH, personBatches, type ProjectionHead } from '@vigil/domain';

/**
 * Trains a projection head (see @vigil/domain's ProjectionHead) on descriptors grouped by person.
 *
 * Loss: contrastive with margins, on every pair of a P×K batch (P persons, K photos each):
 *   positives pay (d − posMargin)² when farther apart than posMargin,
 *   negatives pay (negMargin − d)² when nearer than negMargin,
 * each averaged over the pairs that pay (counted with sign(), whose gradient is zero; so the many easy negatives of a batch do not dilute the
 * hard ones: "hard-ish" mining for free), plus decay·‖W − I‖² pulling the head towards the
 * identity, i.e. towards the pretrained network, so it only moves as far as the data supports.
 * Why this and not a softmax over identities: reviewed data has few people with few photos each
 * (a softmax needs a class weight per person and many photos per class); pairs need only two
 * photos of a person, and the margins sit on the distance scale the thresholds live on.
 *
 * Runs on the calling thread's tfjs backend (pure-JS cpu in the CLI and in the api process, whose
 * inference runs on worker threads), one small batch per step, yielding to the event loop between
 * steps so a server keeps serving while it trains.
 */

export interface HeadSample {
  person: string;
  descriptor: Float32Array;
}

export interface HeadTrainingOptions {
  epochs: number;
  dims?: number;
  seed?: number;
  learningRate?: number;
  posMargin?: number;
  negMargin?: number;
  /** Weight of ‖W − I‖² (per weight). */
  decay?: number;
  personsPerBatch?: number;
  perPerson?: number;
  onEpoch?(epoch: number, epochs: number, loss: number): void;
}

export interface HeadTrainingResult {
  head: ProjectionHead;
  /** Mean loss of each epoch (first entry: before any step, on the first epoch's batches). */
  losses: number[];
  steps: number;
  samples: number;
  /** Persons with at least two samples (the only ones a batch can use). */
  persons: number;
}

export const HEAD_TRAINING_DEFAULTS = {
  learningRate: 0.002,
  posMargin: 0.35,
  negMargin: 0.75,
  decay: 0.0005,
  personsPerBatch: 32,
  perPerson: 4,
  seed: 1,
} as const;

/** Fewest optimiser steps an epoch takes, however small the data. */
export const MIN_STEPS_PER_EPOCH = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function batchLoss(tf: typeof Tf, w: Tf.Variable, eye: Tf.Tensor2D, x: Tf.Tensor2D, same: Tf.Tensor2D, diff: Tf.Tensor2D, o: Required<Pick<HeadTrainingOptions, 'posMargin' | 'negMargin' | 'decay'>>): Tf.Scalar {
  return tf.tidy(() => {
    const y = tf.matMul(x, w as Tf.Tensor2D, false, true);
    const unit = tf.mul(tf.div(y, tf.norm(y, 'euclidean', 1, true).add(1e-12)), NORMALISED_DESCRIPTOR_LENGTH) as Tf.Tensor2D;
    const sq = tf.sum(tf.square(unit), 1, true);
    const d2 = tf.relu(tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(2, tf.matMul(unit, unit, false, true))));
    const d = tf.sqrt(tf.add(d2, 1e-9));
    const posPay = tf.mul(tf.square(tf.relu(tf.sub(d, o.posMargin))), same);
    const negGap = tf.relu(tf.sub(o.negMargin, d));
    const negPay = tf.mul(tf.square(negGap), diff);
    const posCount = tf.maximum(tf.sum(tf.mul(tf.sign(posPay), same)), 1);
    const negCount = tf.maximum(tf.sum(tf.mul(tf.sign(negGap), diff)), 1);
    const reg = tf.mul(o.decay, tf.sum(tf.square(tf.sub(w, eye))));
    return tf.add(tf.add(tf.div(tf.sum(posPay), posCount), tf.div(tf.sum(negPay), negCount)), reg) as Tf.Scalar;
  });
}

export async function trainHead(samples: readonly HeadSample[], options: HeadTrainingOptions): Promise<HeadTrainingResult> {
  const o = { ...HEAD_TRAINING_DEFAULTS, ...options };
  const dims = options.dims ?? DESCRIPTOR_LENGTH;
  if (!Number.isInteger(o.epochs) || o.epochs < 1 || o.epochs > 1000) throw new InvalidInputError('epochs must be an integer from 1 to 1000');
  if (!(o.negMargin > o.posMargin && o.posMargin >= 0)) throw new InvalidInputError('negMargin must exceed posMargin (both distances, >= 0)');
  for (const s of samples) {
    if (s.descriptor.length !== DESCRIPTOR_LENGTH) throw new InvalidInputError(`every sample must be a ${DESCRIPTOR_LENGTH}-d descriptor`);
  }
  const persons = samples.map((s) => s.person);
  const eligible = new Set(persons.filter((p, i) => persons.indexOf(p) !== i)).size;
  if (eligible < 2) throw new InvalidInputError(`training a head needs at least 2 persons with 2 or more samples each; there are ${eligible}`);

  // Loaded on first use: most users of @vigil/vision never train.
  const tf = await import('@tensorflow/tfjs');
  // Silences tfjs's console advert for its native backend (the head is small; cpu is enough).
  tf.env().set('PROD', true);
  await tf.ready();
  const eyeValues = new Float32Array(dims * DESCRIPTOR_LENGTH);
  for (let i = 0; i < dims; i++) eyeValues[i * DESCRIPTOR_LENGTH + i] = 1;
  const eye = tf.tensor2d(eyeValues, [dims, DESCRIPTOR_LENGTH]);
  const w = tf.variable(eye.clone(), true, undefined, 'float32');
  const optimizer = tf.train.adam(o.learningRate);
  const losses: number[] = [];
  let steps = 0;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      // A small data set (a site's first reviews) fills one batch: draw it again, reshuffled, so an
      // epoch takes at least MIN_STEPS_PER_EPOCH steps and the epoch count means comparable work.
      const batches: number[][] = [];
      for (let draw = 0; batches.length < MIN_STEPS_PER_EPOCH; draw++) batches.push(...personBatches(persons, { personsPerBatch: o.personsPerBatch, perPerson: o.perPerson, seed: (o.seed * 1000 + epoch) * 64 + draw }));
      let total = 0;
      for (const [b, batch] of batches.entries()) {
        const x = tf.tensor2d(Float32Array.from(batch.flatMap((i) => Array.from(samples[i]!.descriptor))), [batch.length, DESCRIPTOR_LENGTH]);
        const ids = batch.map((i) => persons[i]!);
        const sameValues = new Float32Array(batch.length * batch.length);
        const diffValues = new Float32Array(batch.length * batch.length);
        for (let i = 0; i < batch.length; i++) {
          for (let j = 0; j < batch.length; j++) {
            if (i === j) continue;
            if (ids[i] === ids[j]) sameValues[i * batch.length + j] = 1;
            else diffValues[i * batch.length + j] = 1;
          }
        }
        const same = tf.tensor2d(sameValues, [batch.length, batch.length]);
        const diff = tf.tensor2d(diffValues, [batch.length, batch.length]);
        try {
          if (epoch === 0 && b === 0) losses.push((await batchLoss(tf, w, eye, x, same, diff, o).data())[0]!);
          const cost = optimizer.minimize(() => batchLoss(tf, w, eye, x, same, diff, o), true, [w]);
          total += cost ? (await cost.data())[0]! : 0;
          cost?.dispose();
          steps++;
        } finally {
          tf.dispose([x, same, diff]);
        }
        await yieldToEventLoop();
      }
      const mean = batches.length ? total / batches.length : 0;
      if (epoch === 0 && losses.length === 0) losses.push(mean);
      losses.push(mean);
      o.onEpoch?.(epoch + 1, o.epochs, mean);
    }
    const weights = (await w.data()) as Float32Array;
    return { head: makeHead(Float32Array.from(weights), dims), losses, steps, samples: samples.length, persons: eligible };
  } finally {
    optimizer.dispose();
    tf.dispose([w, eye]);
  }
}
