import { dictionary } from '@zxcvbn-ts/language-common';

/** NIST SP 800-63B: length and a blocklist beat composition rules. Staff accounts guard a watchlist. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

let common: Set<string> | null = null;

/** zxcvbn-ts's list of ~49,000 most common passwords (from leaked password sets), lower-cased. */
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/**
 * Why a password is refused, in words a person can act on, or null when it is acceptable.
 * Refused: shorter than 12 or longer than 256 characters; a common password, also with digits or
 * symbols tacked on ("password123!") or repeated ("qwertyqwerty"); one character repeated;
 * containing the username or display name.
 */
export function passwordProblem(password: string, who: { username?: string; displayName?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long (a few unrelated words make a good one).`;
  if (length > PASSWORD_MAX_LENGTH) return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2) return 'The password repeats one or two characters; choose something less predictable.';
  const list = commonPasswords();
  const base = lower.replace(/[^a-z]+$/u, '').replace(/^[^a-z]+/u, '');
  const halves = lower.length % 2 === 0 ? [lower.slice(0, lower.length / 2), lower.slice(lower.length / 2)] : [];
  if (
    list.has(lower) ||
    (base.length >= 4 && list.has(base)) ||
    (halves.length === 2 && halves[0] === halves[1] && list.has(halves[0]!))
  ) {
    return 'This password is on the list of the most common passwords; choose one that others are unlikely to use.';
  }
  for (const part of [who.username, ...(who.displayName ?? '').split(/\s+/)]) {
    const p = part?.trim().toLowerCase();
    if (p && p.length >= 3 && lower.includes(p)) return 'The password must not contain your username or name.';
  }
  return null;
}
