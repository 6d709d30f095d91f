import { InvalidInputError } from '@vigil/domain';
import { unambiguousHost } from './camera-url';
import { resolveAllowed, type EgressOptions } from './egress-check';

/** What ffmpeg is given for one start of a camera. */
export interface CameraTarget {
  /** The URL for ffmpeg's `-i` (may contain credentials). */
  url: string;
  /**
   * http(s): ffmpeg must reach the camera through the checking proxy (EgressProxy), which
   * resolves and checks every request, including redirects and HLS segments on other hosts.
   */
  viaProxy: boolean;
}

/**
 * Resolves and checks a camera URL right before ffmpeg starts (see resolveAllowed): the URL was
 * checked when it was stored, but a name may resolve elsewhere now, and rows stored before the
 * current rules are checked again here. rtsp(s) URLs get the checked address in place of the
 * name, so ffmpeg never resolves it itself (TLS then sends no server name; ffmpeg does not verify
 * camera certificates by default). http(s) URLs keep their name: the proxy resolves it per request,
 * so Host headers, TLS server names and redirects work. File sources need no network.
 */
export async function resolveCameraTarget(url: string, egress: EgressOptions = {}): Promise<CameraTarget> {
  if (url.startsWith('/') || /^file:/i.test(url)) return { url, viaProxy: false };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError('url is not a valid URL; expected e.g. rtsp://camera.local:554/stream');
  }
  // Other schemes never reach ffmpeg: buildFfmpegArgs has no preset for them.
  if (!/^(rtsps?|https?):$/i.test(parsed.protocol)) return { url, viaProxy: false };
  const host = unambiguousHost(url, parsed);
  const addresses = await resolveAllowed(host.host, egress);
  if (/^https?:$/i.test(parsed.protocol)) return { url, viaProxy: true };
  if (host.family !== 0) return { url, viaProxy: false };
  const address = addresses[0]!;
  const literal = address.includes(':') ? `[${address}]` : address;
  return { url: url.slice(0, host.start) + literal + url.slice(host.end), viaProxy: false };
}
