import { isIP } from 'node:net';

/** Where the host of a camera URL is, read the way ffmpeg reads it. */
export interface UrlHost {
  /** The host as written, without IPv6 brackets. */
  host: string;
  /** 4 or 6 for an IP literal, 0 for a DNS name. */
  family: 0 | 4 | 6;
  /** [start, end) of the host in the URL, brackets included: replacing it pins the address. */
  start: number;
  end: number;
}

/**
 * The host exactly as ffmpeg's av_url_split finds it: after `scheme://`, the authority runs to
 * the first `/`, `?` or `#` (a backslash is NOT a separator there, unlike in the URL parser for
 * http), the user info ends at the last `@`, then `[v6]` or everything up to a `:`.
 * Null when there is no `scheme://` prefix.
 */
export function ffmpegHost(url: string): UrlHost | null {
  const prefix = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!prefix) return null;
  const authorityStart = prefix[0].length;
  const rest = url.slice(authorityStart);
  const cut = rest.search(/[/?#]/);
  const authority = cut === -1 ? rest : rest.slice(0, cut);
  const at = authority.lastIndexOf('@');
  const hostStart = authorityStart + at + 1;
  const hostPort = authority.slice(at + 1);
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close !== -1) {
      const host = hostPort.slice(1, close);
      return { host, family: isIP(host) === 6 ? 6 : 0, start: hostStart, end: hostStart + close + 1 };
    }
  }
  const colon = hostPort.indexOf(':');
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  return { host, family: isIP(host) === 4 ? 4 : 0, start: hostStart, end: hostStart + host.length };
}

/** Four decimal numbers 0–255 without leading zeros: the only IPv4 spelling every parser reads alike. */
const STRICT_IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** What inet_aton (and so ffmpeg's getaddrinfo) would read as a number: 2852039166, 0xa9fea9fe, 0251.0376.0251.0376, 127.1. */
const NUMERIC_HOST = /^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+))*\.?$/i;
/** Letters, digits, `-` and `_` in dot-separated labels (an optional final dot). */
const DNS_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i;

/**
 * Why the host ffmpeg would use is not acceptable as written, or null. IPv6 literals are judged
 * by the address policy later; this is about spellings that different readers take differently.
 */
export function hostSpellingProblem(h: UrlHost): string | null {
  if (h.host === '') return 'url must name a host (scheme://host/path)';
  if (h.family === 6) return null;
  if (NUMERIC_HOST.test(h.host)) {
    return STRICT_IPV4.test(h.host)
      ? null
      : `url host "${h.host}" is a numeric address in an unusual form; write an IPv4 address as four decimal numbers without leading zeros (e.g. 192.168.1.20)`;
  }
  if (h.host.length > 253 || !DNS_NAME.test(h.host)) {
    return `url host "${h.host}" must be an IP address or a DNS name of letters, digits, "-" and "."` +
      ' (no percent-encoding; write international names in their xn-- form)';
  }
  return null;
}

/**
 * Whether the URL parser's hostname (`new URL(url).hostname`) names the same host as ffmpeg's
 * reading: same name ignoring case, same IPv4 spelling, or the same IPv6 address.
 */
export function sameHost(h: UrlHost, whatwgHostname: string): boolean {
  if (h.family === 6) {
    try {
      return new URL(`http://[${h.host}]/`).hostname === whatwgHostname;
    } catch {
      return false;
    }
  }
  return h.host.toLowerCase() === whatwgHostname.toLowerCase();
}
