/** First byte of a 2x2 test frame that makes faulty.worker exit mid-job / spin past the timeout. */
export const CRASH_MARKER = 201;
export const HANG_MARKER = 202;
