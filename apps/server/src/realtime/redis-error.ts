/**
 * What may be logged of a Redis client error: its code and message with the connection URL and
 * its password taken out (VIGIL_REDIS_URL may carry a password; ioredis does not put it in its
 * messages today, and this keeps it that way whatever a future version says).
 */
export function redisErrorSummary(error: unknown, url: string): { code?: string; message: string } {
  let message = error instanceof Error ? error.message : String(error);
  const secrets = [url];
  try {
    const parsed = new URL(url);
    if (parsed.password) secrets.push(parsed.password, decodeURIComponent(parsed.password));
  } catch {
    // Not a URL (config validates it); the whole string is still taken out.
  }
  for (const secret of secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) message = message.split(secret).join('***');
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : undefined;
  return { ...(code ? { code } : {}), message };
}
