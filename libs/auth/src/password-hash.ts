import argon2 from 'argon2';

/**
 * argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane): ~30-60 ms per hash on one of this
 * machine's cores, which bounds how fast anyone can guess even before the sign-in throttle.
 * The parameters live in each hash, so raising them later still verifies the old hashes.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time a real verification would for an unknown or password-less account, so the
 * answer's timing does not tell which usernames exist.
 */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword('vigil: no such account, no such password');
  await verifyPassword(await dummy, password);
}
