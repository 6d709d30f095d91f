import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CAMERA_SAFE_QUERY_KEYS, redactCredentials } from './redact-credentials';
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

const SAFE_NAMES = [...CAMERA_SAFE_QUERY_KEYS];
const SECRET_NAMES = [
  'access_token', 'apikey', 'api_key', 'passwd', 'token', 'auth', 'key', 'secret', 'signature', 'sig', 'session',
  'sessionid', 'sid', 'code', 'credential', 'x-amz-signature', 'authorization', 'pw', 'login', 'hash', 'ticket',
];

/** Percent-encodes some characters of a name and changes the case of others (both decode to the same key). */
function disguise(r: () => number, name: string): string {
  return [...name]
    .map((c) => {
      const roll = r();
      if (roll < 0.2) return `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
      if (roll < 0.4) return c.toUpperCase();
      return c;
    })
    .join('');
}

describe('redactCredentials hides every query value not known to be safe (seeded property test, #13)', () => {
  it('5 000 random queries mixing secret, random and safe parameter names: every secret hidden, safe values kept', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 5_000; seed++) {
      const r = prng(seed);
      const params: Array<{ name: string; value: string; safe: boolean; sep: string }> = [];
      const n = 1 + Math.floor(r() * 5);
      for (let i = 0; i < n; i++) {
        const sep = i === 0 ? '' : pick(r, ['&', '&', ';']);
        const roll = r();
        if (roll < 0.35) params.push({ name: disguise(r, pick(r, SAFE_NAMES)), value: String(Math.floor(r() * 100)), safe: true, sep });
        else if (roll < 0.7) params.push({ name: disguise(r, pick(r, SECRET_NAMES)), value: 'Q' + word(r, SECRET_CHARS.replace('%', ''), 6, 14), safe: false, sep });
        else params.push({ name: word(r, PLAIN + '_-', 1, 10), value: 'Q' + maybeEncode(r, word(r, SECRET_CHARS.replace('%', ''), 6, 14)), safe: false, sep });
      }
      const query = params.map((p) => `${p.sep}${p.name}=${p.value}`).join('');
      const url = `${pick(r, ['rtsp', 'http', 'https'])}://cam.local/${word(r, PLAIN, 1, 8)}?${query}`;
      const text = pick(r, [(u: string) => u, (u: string) => `Input #0, mpjpeg, from '${u}':`, (u: string) => `${u}: Server returned 403 Forbidden`])(url);
      const out = redactCredentials(text);
      params.forEach((p, i) => {
        if (!p.safe) {
          const part = leakedPart(out, p.value);
          if (part) failures.push(`seed ${seed}: ${text} → ${out} (leaked ${part})`);
          return;
        }
        // A hidden value runs to the next '&' (passwords contain ';'), so a safe parameter
        // joined to a hidden one by ';' is hidden with it: over-hiding is the safe error.
        let swallowed = false;
        for (let j = i - 1; j >= 0 && params[j + 1]!.sep === ';'; j--) if (!params[j]!.safe) swallowed = true;
        if (!swallowed && !out.includes(`${p.name}=${p.value}`)) failures.push(`seed ${seed}: ${text} → ${out} (safe ${p.name}=${p.value} hidden)`);
      });
    }
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} failures`);
  });
});
