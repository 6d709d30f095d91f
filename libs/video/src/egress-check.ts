import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import { blockedAddressReason } from './address-policy';

/** dns.lookup(host, { all: true }) in shape; tests pass a stub so nothing is ever resolved. */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** Opens a TCP connection to an address that already passed the policy; tests spy on it. */
export type ConnectFn = (address: string, port: number) => Socket;

/** How camera connections leave this process; each defaults to the real thing. */
export interface EgressOptions {
  lookup?: LookupAll;
  /** Longest wait for a name to resolve (default 10 000 ms). */
  lookupTimeoutMs?: number;
  /** Used by the checking proxy (http and https cameras); default net.connect. */
  connect?: ConnectFn;
}

/** A camera address the policy refuses (the message says which address and why). */
export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError';
}

export const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The addresses `host` (an IP literal, or a DNS name already checked for spelling) stands for,
 * once EVERY one of them has passed the address policy: a name with one blocked address among
 * allowed ones is refused whole, since which address a client picks is not ours to decide.
 * Callers connect to the returned addresses only, never resolve the name again (a second answer
 * could differ: DNS rebinding).
 */
export async function resolveAllowed(host: string, options: EgressOptions = {}): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    const blocked = blockedAddressReason(bare);
    if (blocked) throw new EgressRefusedError(`refused to connect to ${bare}: ${blocked}, which is never a camera`);
    return [bare];
  }
  let answers: Array<{ address: string }>;
  try {
    answers = await withTimeout((options.lookup ?? systemLookup)(bare), options.lookupTimeoutMs ?? 10_000, `resolving ${bare}`);
  } catch (e) {
    throw new Error(`cannot resolve ${bare}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (answers.length === 0) throw new Error(`cannot resolve ${bare}: no addresses`);
  for (const { address } of answers) {
    const blocked = blockedAddressReason(address);
    if (blocked) throw new EgressRefusedError(`refused to connect to ${bare}: it resolves to ${address}, ${blocked}, which is never a camera`);
  }
  return answers.map((a) => a.address);
}
