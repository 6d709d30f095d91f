/**
 * Cuts ffmpeg's rawvideo stdout (arbitrary chunk boundaries) into exact width·height·3 frames.
 * A frame lying wholly inside one chunk is handed out as a view of it (no copy); only frames
 * spanning chunks are assembled into a fresh buffer. Every emitted buffer has exactly
 * frameBytes bytes; what is left at the end of a stream is a partial frame and is discarded.
 */
export class FrameReader {
  readonly frameBytes: number;
  /** Complete frames emitted. */
  frames = 0;
  /** Incomplete frames discarded at stream end. */
  partialFrames = 0;
  private pending: Buffer | null = null;
  private filled = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly onFrame: (data: Buffer, at: number) => void,
    private readonly clock: () => number = Date.now,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError('frame width and height must be positive integers');
    }
    this.frameBytes = width * height * 3;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.pending === null && chunk.length - offset >= this.frameBytes) {
        this.emit(chunk.subarray(offset, offset + this.frameBytes));
        offset += this.frameBytes;
        continue;
      }
      this.pending ??= Buffer.allocUnsafe(this.frameBytes);
      const take = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      chunk.copy(this.pending, this.filled, offset, offset + take);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        const frame = this.pending;
        this.pending = null;
        this.filled = 0;
        this.emit(frame);
      }
    }
  }

  /** The stream ended: a half-assembled frame is dropped (and counted), never emitted. */
  end(): void {
    if (this.filled > 0) this.partialFrames++;
    this.pending = null;
    this.filled = 0;
  }

  private emit(frame: Buffer): void {
    if (frame.length !== this.frameBytes) throw new Error(`internal: frame of ${frame.length} bytes, expected ${this.frameBytes}`);
    this.frames++;
    this.onFrame(frame, this.clock());
  }
}
