/** The part of "everything after the client's offset" that a (re)connecting socket is sent. */
export interface ReplayPlan<Row> {
  /** Oldest first, the order they are sent in, so the client's offset (its highest seq) only grows. */
  window: Row[];
  /** After the offset but not sent (older than the window): seq in (afterSeq, throughSeq]. */
  skipped: { afterSeq: string; throughSeq: string } | null;
  /** Where the next read resumes: the newest seq sent, or the offset when nothing was. */
  cursor: string;
}

/**
 * Bounds a replay: of the rows after `offset` (given newest first, as many as the caller read;
 * reading `max + 1` is enough to know whether any are left out), the newest `max` are sent and the
 * older ones are left out as one seq range, which the client is told about and can page over HTTP.
 * A console that was away for a long time thus sees what is happening now, not its whole history.
 */
export function planReplay<Row extends { seq: string }>(offset: string, newestFirst: readonly Row[], max: number): ReplayPlan<Row> {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`replay window must be a positive integer, got ${max}`);
  const sent = newestFirst.slice(0, max);
  const newestLeftOut = newestFirst[max];
  return {
    window: sent.reverse(),
    skipped: newestLeftOut ? { afterSeq: offset, throughSeq: newestLeftOut.seq } : null,
    cursor: newestFirst[0]?.seq ?? offset,
  };
}
