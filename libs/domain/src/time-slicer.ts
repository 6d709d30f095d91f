/**
 * Cuts long synchronous work (diffing or indexing a million references) into slices of about
 * sliceMs, yielding to the event loop between them, so that frames keep being matched meanwhile.
 */
export class TimeSlicer {
  private sliceStart: number;

  constructor(
    readonly sliceMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly yieldToEventLoop: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  ) {
    this.sliceStart = now();
  }

  /** Yields when the current slice is used up; cheap to call often. */
  async pause(): Promise<void> {
    if (this.now() - this.sliceStart < this.sliceMs) return;
    await this.yieldToEventLoop();
    this.sliceStart = this.now();
  }

  /** Always yields (between two slices of work that each filled their budget). */
  async yield(): Promise<void> {
    await this.yieldToEventLoop();
    this.sliceStart = this.now();
  }
}
