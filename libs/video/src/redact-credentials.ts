import { redactQueryValues } from '@vigil/domain';

/**
 * Query parameters of camera URLs whose values carry no secret and help a person tell streams
 * apart (Hikvision/Dahua/ONVIF style: `channel=1&subtype=0`). Every other value is hidden.
 * Names are compared percent-decoded and in lower case.
 */
export const CAMERA_SAFE_QUERY_KEYS: ReadonlySet<string> = new Set([
  'channel', 'subtype', 'stream', 'streamtype', 'profile', 'resolution', 'fps', 'framerate', 'codec', 'videocodec',
  'compression', 'quality', 'width', 'height', 'camera', 'unicast', 'transport', 'format', 'track', 'audio', 'video',
]);

/**
 * Replaces credentials in any text that may contain URLs (a URL, an ffmpeg stderr line, an
 * error message): the whole userinfo becomes `***`, and so does every query value whose name
 * is not in CAMERA_SAFE_QUERY_KEYS (see redactQueryValues). The authority ends at the LAST `@`
 * before the path, because passwords often contain `@`, `#` or `?` unencoded; over-redacting
 * is the safe error.
 */
export function redactCredentials(text: string): string {
  const withoutUserinfo = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/]*@/gi, (_m, scheme: string) => `${scheme}***@`);
  return redactQueryValues(withoutUserinfo, CAMERA_SAFE_QUERY_KEYS);
}
