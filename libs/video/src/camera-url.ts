import { InvalidInputError } from '@vigil/domain';
import { blockedAddressReason } from './address-policy';
import { ffmpegHost, hostSpellingProblem, sameHost, type UrlHost } from './camera-url-host';

/**
 * Camera URLs are user input that ends up in an ffmpeg argv, so they are an injection and SSRF
 * vector (ffmpeg understands `file:`, `concat:`, `lavfi`, `subfile,` …). Only plain network
 * stream schemes are admitted; `file:` only where the operator enabled it (demo, tests).
 * A URL is refused when ffmpeg and the URL parser could read different hosts in it (the check
 * would judge one host and ffmpeg connect to another), and when its host is an address the
 * policy blocks (address-policy.ts). Names are resolved and checked at connect time
 * (camera-target.ts), not here: a camera's name may not resolve yet when it is registered.
 */
export const NETWORK_SCHEMES = ['rtsp:', 'rtsps:', 'http:', 'https:'] as const;

export interface CameraUrlPolicy {
  allowFile?: boolean;
}

const MAX_URL_LENGTH = 2048;

export function validateCameraUrl(raw: unknown, policy: CameraUrlPolicy = {}): string {
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new InvalidInputError('url must be a non-empty string such as rtsp://camera.local:554/stream');
  }
  if (raw.length > MAX_URL_LENGTH) throw new InvalidInputError(`url must be at most ${MAX_URL_LENGTH} characters`);
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) {
    throw new InvalidInputError('url must not contain spaces or control characters (percent-encode them)');
  }
  if (raw.startsWith('-')) throw new InvalidInputError('url must start with a scheme such as rtsp://');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidInputError('url is not a valid URL; expected e.g. rtsp://user:pass@10.0.0.5:554/stream1');
  }
  const scheme = url.protocol.toLowerCase();
  if (scheme === 'file:') {
    if (!policy.allowFile) {
      throw new InvalidInputError('file: camera URLs are disabled on this server; use rtsp://, rtsps://, http:// or https://');
    }
    if (url.host !== '') throw new InvalidInputError('file: URLs must be local (file:///path/to/clip.mp4)');
    return url.toString();
  }
  if (!(NETWORK_SCHEMES as readonly string[]).includes(scheme)) {
    throw new InvalidInputError(
      `url scheme "${scheme.replace(/:$/, '')}" is not allowed; use rtsp://, rtsps://, http:// or https://`,
    );
  }
  const host = unambiguousHost(raw, url);
  if (host.family !== 0) {
    const blocked = blockedAddressReason(host.host);
    if (blocked) throw new InvalidInputError(`url points at ${host.host}, ${blocked}, which is never a camera`);
  }
  return raw;
}

/**
 * The host ffmpeg will connect to, provided every reader agrees on it: no backslash (a separator
 * to the URL parser for http, not to ffmpeg), no non-ASCII, `scheme://host` written out, the
 * host spelt in one unambiguous way, and the same host for ffmpeg and the URL parser.
 */
export function unambiguousHost(raw: string, url: URL = new URL(raw)): UrlHost {
  if (raw.includes('\\')) {
    throw new InvalidInputError('url must not contain a backslash (\\): URL readers disagree on where its host ends; percent-encode it as %5C');
  }
  if (/[^\u0020-\u007e]/.test(raw)) {
    throw new InvalidInputError('url must be plain ASCII: percent-encode other characters and write international host names in their xn-- form');
  }
  const host = ffmpegHost(raw);
  if (!host) {
    throw new InvalidInputError('url must be written as scheme://host/path, e.g. rtsp://10.0.0.5:554/stream1');
  }
  const spelling = hostSpellingProblem(host);
  if (spelling) throw new InvalidInputError(spelling);
  if (!sameHost(host, url.hostname)) {
    throw new InvalidInputError(
      `url is ambiguous: ffmpeg would connect to "${host.host}" but it reads as host "${url.hostname}"; ` +
        'percent-encode "@", ":" and "/" in the user name and password',
    );
  }
  return host;
}
