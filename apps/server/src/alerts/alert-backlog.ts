/**
 * The alerts one socket was sent and has not answered yet (the `alert` ack callback). A console
 * that stalls (a frozen tab, a dead network the kernel has not noticed) stops answering; past
 * `limit` it is sent nothing more and disconnected, so the server never buffers more than `limit`
 * alerts for it. It replays from its offset when it comes back.
 */
export class AlertBacklog {
  private pending = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`unacknowledged-alert limit must be a positive integer, got ${limit}`);
  }

  /** Unanswered alerts now. */
  get unacknowledged(): number {
    return this.pending;
  }

  /** Before sending one: false when it would exceed the limit (then do not send it; disconnect). */
  take(): boolean {
    if (this.pending >= this.limit) return false;
    this.pending++;
    return true;
  }

  /** The client answered one (any answer counts as receipt). */
  settle(): void {
    if (this.pending > 0) this.pending--;
  }
}
