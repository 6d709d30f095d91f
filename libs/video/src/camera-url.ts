import { isIP } from 'node:net';
import { InvalidInputError } from '@vigil/domain';

/**
 * Camera URLs are user input that ends up in an ffmpeg argv, so they are an injection and SSRF
 * vector (ffmpeg understands `file:`, `concat:`, `lavfi`, `subfile,` …). Only plain network
 * stream schemes are admitted; `file:` only where the operator enabled it (demo, tests).
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
  if (!url.hostname) throw new InvalidInputError('url must name a host');
  if (isLinkLocal(url.hostname)) {
    throw new InvalidInputError('url points at a link-local address (169.254.0.0/16, fe80::/10), which is never a camera');
  }
  return raw;
}

function isLinkLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) === 4) return host.startsWith('169.254.');
  if (isIP(host) === 6) return /^fe[89ab][0-9a-f]:/.test(host) || host.startsWith('::ffff:169.254.');
  return false;
}
