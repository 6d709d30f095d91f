import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { redactCredentials } from './camera-url';
// Test support, deliberately not part of @vigil/domain's public API.
import { mulberry32 } from '../../domain/src/testing/mulberry32';

/** A failing case can be replayed from its seed. */
const prng = mulberry32;

// Secrets use upper case, digits and the awkward characters; hosts and paths only lower case,
// so any occurrence of a secret in the output is a real leak, never a coincidence.
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@:%!#';
const PLAIN = 'abcdefghijklmnopqrstuvwxyz';

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function word(r: () => number, alphabet: string, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min + 1));
  return Array.from({ length: n }, () => pick(r, [...alphabet])).join('');
}

/** Percent-encodes a random subset of the characters (cameras' UIs do both). */
function maybeEncode(r: () => number, s: string): string {
  return [...s].map((c) => (r() < 0.3 ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c)).join('');
}

interface Case {
  text: string;
  secrets: string[];
}

function makeCase(r: () => number): Case {
  const scheme = pick(r, ['rtsp', 'rtsps', 'http', 'https', 'RTSP']);
  const host = pick(r, [`${word(r, PLAIN, 3, 8)}.local`, '10.0.0.5', '[fd00::5]', `${word(r, PLAIN, 2, 6)}.example.com`]);
  const port = r() < 0.5 ? `:${554 + Math.floor(r() * 8000)}` : '';
  const path = r() < 0.8 ? `/${word(r, PLAIN, 1, 10)}` : '';
  const user = 'U' + word(r, SECRET_CHARS, 3, 10);
  const password = 'P' + word(r, SECRET_CHARS, 5, 16);
  const secrets: string[] = [];
  let url: string;
  if (r() < 0.6) {
    const u = r() < 0.5 ? maybeEncode(r, user) : user;
    const p = r() < 0.5 ? maybeEncode(r, password) : password;
    url = `${scheme}://${u}${r() < 0.9 ? `:${p}` : ''}@${host}${port}${path}`;
    secrets.push(p, u);
  } else {
    const userKey = pick(r, ['user', 'username', 'USER']);
    const passKey = pick(r, ['password', 'pass', 'pwd', 'PWD', 'Password']);
    const p = r() < 0.5 ? maybeEncode(r, password) : password;
    const sep = pick(r, ['&', ';']);
    url = `${scheme}://${host}${port}${path || '/'}?${userKey}=${user}${sep}${passKey}=${p}${r() < 0.5 ? '&res=hd' : ''}`;
    secrets.push(p, user);
  }
  const text = pick(r, [
    (u: string) => u,
    (u: string) => `[tcp @ 0x55d1] Connection to ${u} failed: Connection refused`,
    (u: string) => `${u}: Server returned 401 Unauthorized (authorization failed)`,
    (u: string) => `Input #0, rtsp, from '${u}':`,
    (u: string) => `camera ${u} and backup ${u}`,
    (u: string) => `url="${u}"`,
  ])(url);
  return { text, secrets };
}

/**
 * The secret, or any 6-character piece of it that holds a letter (a piece left behind after an
 * unencoded `#` or `@` cut the match short is a leak too; pure digit runs could be a port).
 */
function leakedPart(out: string, secret: string): string | null {
  if (out.includes(secret)) return secret;
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = secret.slice(i, i + 6);
    if (/[A-Z]/.test(piece) && out.includes(piece)) return piece;
  }
  return null;
}

describe('redactCredentials never leaks (seeded property test)', () => {
  it('10 000 random URLs and stderr lines: 0 leaks', () => {
    const leaks: string[] = [];
    for (let seed = 1; seed <= 10_000; seed++) {
      const { text, secrets } = makeCase(prng(seed));
      const out = redactCredentials(text);
      for (const s of secrets) {
        const part = leakedPart(out, s);
        if (part) leaks.push(`seed ${seed}: ${text} → ${out} (leaked ${part})`);
      }
    }
    assert.deepEqual(leaks.slice(0, 5), [], `${leaks.length} leaks`);
  });
  it('the generator really produces secrets the output must not contain', () => {
    const { text, secrets } = makeCase(prng(42));
    assert.ok(secrets.every((s) => text.includes(s)));
  });
});
