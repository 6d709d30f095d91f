import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import sharp from 'sharp';
import { InvalidInputError, UnsupportedMediaError } from '@vigil/domain';
import { InferencePool, PoolJobError } from './inference-pool';
import { CRASH_MARKER, HANG_MARKER } from './testing/fault-markers';
import { readSamplePhoto, toFrame } from './testing/sample-photos';
import type { RgbFrame } from './rgb-frame';

const FAULTY_WORKER = path.join(__dirname, 'testing', 'faulty.worker.js');

function marker(value: number): RgbFrame {
  const data = new Uint8Array(12);
  data[0] = value;
  return { width: 2, height: 2, data };
}

const isPoolError = (reason: PoolJobError['reason']) => (err: unknown) =>
  err instanceof PoolJobError && err.reason === reason;

describe('InferencePool (one worker with fault injection)', () => {
  let pool: InferencePool;
  let face: RgbFrame;
  let photo: Buffer;
  const fresh = (): RgbFrame => ({ ...face, data: Buffer.from(face.data) });

  before(async () => {
    face = await toFrame(sharp(readSamplePhoto(1)).resize({ width: 400 }));
    photo = await sharp(readSamplePhoto(1)).resize({ width: 400 }).jpeg().toBuffer();
    pool = await InferencePool.create({
      workers: 1,
      queueSize: 1,
      kioskQueueSize: 2,
      backgroundQueueSize: 2,
      jobTimeoutMs: 5_000,
      workerScript: FAULTY_WORKER,
      engine: { detector: 'tiny', tinyInputSize: 320 },
    });
  });
  after(() => pool.close());

  it('starts warmed-up workers and reports the backend', () => {
    assert.equal(pool.stats().workers, 1);
    assert.ok(pool.backend && pool.backend.name.length > 0);
  });

  it('runs a frame, transferring (detaching) the caller buffer', async () => {
    const frame = { ...face, data: new Uint8Array(face.data) };
    const faces = await pool.detect(frame);
    assert.equal(frame.data.byteLength, 0, 'buffer should have been transferred');
    assert.ok(faces.length >= 2);
    assert.equal(faces[0].descriptor?.length, 128);
  });

  it('fails the in-flight job of a crashed worker clearly, replaces the worker and runs the next job', async () => {
    const before = pool.stats();
    await assert.rejects(pool.detect(marker(CRASH_MARKER)), (err: unknown) => {
      return isPoolError('crashed')(err) && /worker crashed \(exit code 3\)/.test((err as Error).message);
    });
    const faces = await pool.detect(fresh());
    assert.ok(faces.length >= 2);
    const after = pool.stats();
    assert.equal(after.crashes, before.crashes + 1);
    assert.equal(after.workers, 1);
  });

  it('drops the oldest pending job when the queue is full and counts it', async () => {
    const droppedBefore = pool.stats().dropped;
    const first = pool.detect(fresh()); // dispatched at once
    const second = pool.detect(fresh()); // queued
    const third = pool.detect(fresh()); // evicts second
    const fourth = pool.detect(fresh()); // evicts third
    assert.equal(pool.stats().queued, 1);
    await assert.rejects(second, isPoolError('dropped'));
    await assert.rejects(third, (err: unknown) => isPoolError('dropped')(err) && /dropped/.test((err as Error).message));
    assert.ok((await first).length >= 2);
    assert.ok((await fourth).length >= 2);
    assert.equal(pool.stats().dropped, droppedBefore + 2);
  });

  it('an urgent job takes the place of a queued normal one; a normal job cannot displace an urgent one', async () => {
    const droppedBefore = pool.stats().dropped;
    const running = pool.detect(fresh()); // dispatched at once
    const scan = pool.detect(fresh()); // queued (normal)
    const track = pool.detect(fresh(), {}, { lane: 'urgent' }); // evicts the normal job
    const late = pool.detect(fresh()); // refused: the only queued job is urgent
    await assert.rejects(scan, isPoolError('dropped'));
    await assert.rejects(late, (err: unknown) => isPoolError('dropped')(err) && /full of urgent jobs/.test((err as Error).message));
    assert.ok((await running).length >= 2);
    assert.ok((await track).length >= 2);
    assert.equal(pool.stats().dropped, droppedBefore + 2);
  });

  it('a flood of kiosk images waits in its own lane: it never evicts a queued camera frame, and what does not fit is refused at once', async () => {
    const before = pool.stats();
    const running = pool.detect(fresh()); // dispatched at once
    const camera = pool.detect(fresh()); // queued: the camera queue holds one
    const kiosk = Array.from({ length: 6 }, () => pool.detectImage(Buffer.from(photo), {}, { lane: 'kiosk' }));
    assert.equal(pool.stats().kioskQueued, 2);
    const answers = await Promise.allSettled(kiosk);
    assert.ok((await camera).length >= 2, 'the queued camera frame was analysed, not dropped');
    assert.ok((await running).length >= 2);
    assert.deepEqual(answers.map((a) => a.status), ['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected', 'rejected']);
    for (const a of answers.slice(2)) assert.ok(a.status === 'rejected' && isPoolError('busy')(a.reason) && /kiosk images are already waiting/.test((a.reason as Error).message));
    const after = pool.stats();
    assert.equal(after.dropped, before.dropped, 'no camera job was dropped');
    assert.equal(after.refused, before.refused + 4);
    assert.equal(after.kioskQueued, 0);
  });

  it('while both lanes wait, a free worker alternates between the camera queue and the kiosk lane', async () => {
    const order: string[] = [];
    const track = (name: string, job: Promise<unknown>) => job.then(() => order.push(name));
    const jobs = [
      track('camera 1', pool.detect(fresh())), // dispatched at once
      track('camera 2', pool.detect(fresh())), // queued
      track('kiosk 1', pool.detectImage(Buffer.from(photo), {}, { lane: 'kiosk' })),
      track('kiosk 2', pool.detectImage(Buffer.from(photo), {}, { lane: 'kiosk' })),
    ];
    await Promise.all(jobs);
    assert.deepEqual(order, ['camera 1', 'kiosk 1', 'camera 2', 'kiosk 2']);
  });

  it('background jobs (scans) wait until no camera frame or kiosk image does, and a full background lane refuses at once', async () => {
    const order: string[] = [];
    const track = (name: string, job: Promise<unknown>) => job.then(() => order.push(name));
    const before = pool.stats();
    const running = track('camera 1', pool.detect(fresh())); // dispatched at once
    const scans = [track('scan 1', pool.detect(fresh(), {}, { lane: 'background' })), track('scan 2', pool.detect(fresh(), {}, { lane: 'background' }))];
    const refused = pool.detect(fresh(), {}, { lane: 'background' }); // the lane holds two
    const later = [track('camera 2', pool.detect(fresh())), track('kiosk 1', pool.detectImage(Buffer.from(photo), {}, { lane: 'kiosk' }))];
    assert.equal(pool.stats().backgroundQueued, 2);
    await assert.rejects(refused, (err: unknown) => isPoolError('busy')(err) && /background jobs are already waiting/.test((err as Error).message));
    await Promise.all([running, ...scans, ...later]);
    // Camera and kiosk take turns (which first depends on the previous turn); the scans come after both.
    assert.deepEqual([order[0], [...order.slice(1, 3)].sort(), order.slice(3)], ['camera 1', ['camera 2', 'kiosk 1'], ['scan 1', 'scan 2']]);
    const after = pool.stats();
    assert.equal(after.dropped, before.dropped, 'no camera job was dropped for a scan');
    assert.equal(after.backgroundQueued, 0);
  });

  it('times out a hung job, replaces the worker and keeps serving', async () => {
    const before = pool.stats();
    await assert.rejects(pool.detect(marker(HANG_MARKER)), isPoolError('timeout'));
    assert.ok((await pool.detect(fresh())).length >= 2);
    const after = pool.stats();
    assert.equal(after.timeouts, before.timeouts + 1);
    assert.equal(after.inFlight, 0);
    assert.equal(after.queued, 0);
  });

  it('maps domain errors from the worker back to their classes', async () => {
    await assert.rejects(pool.detectImage(Buffer.from('<svg/>')), UnsupportedMediaError);
    await assert.rejects(pool.detect({ width: 3, height: 3, data: new Uint8Array(5) }), InvalidInputError);
  });

  it('close() rejects later jobs and terminates workers', async () => {
    const local = await InferencePool.create({ workers: 1, engine: { detector: 'tiny', tinyInputSize: 320 } });
    const processedBefore = local.stats().processed;
    assert.ok((await local.detect(fresh())).length >= 2);
    assert.equal(local.stats().processed, processedBefore + 1);
    await local.close();
    assert.equal(local.stats().workers, 0);
    await assert.rejects(local.detect(fresh()), isPoolError('closed'));
  });
});
