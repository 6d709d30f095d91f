/**
 * Query values are hidden unless known to be safe: credentials travel as `access_token`,
 * `apikey`, `passwd`, `auth`, `sig`, vendor names nobody can list in full — so the rule is an
 * allow-list of parameter names (per use: camera URLs, our own API), and even an allowed name
 * shows its value only when the value is a plain token (letters, digits, `._~,:+-`).
 * Over-hiding is the safe error. Hidden values become `***`; the names stay, so a reader still
 * sees which parameters a URL carries.
 */

/** A value an allowed name may show: nothing that could hide a separator or an encoded secret. */
const PLAIN_VALUE = /^[A-Za-z0-9._~,:+-]*/;
/** What may end a plain value of an allowed name. */
const PLAIN_END = /[&;#\s'"<>)\]]/;
/** `name=` after a query separator; the name has no separator, `=` or space in it. */
const PARAM = /[?&;#]([^=&;?#\s'"<>]+)=/g;
/** A URL in free text: scheme://… up to whitespace. */
const URL_TOKEN = /[a-z][a-z0-9+.-]*:\/\/\S*/gi;

/** The parameter name as the server will read it: percent-decoded, `+` as space, lower case; null if undecodable. */
export function queryKeyName(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return null;
  }
}

function isSafe(rawKey: string, safeKeys: ReadonlySet<string>): boolean {
  const name = queryKeyName(rawKey);
  return name !== null && safeKeys.has(name);
}

/**
 * Hides every `name=value` after `?`, `&`, `;` or `#` in any text (a URL, an ffmpeg stderr line,
 * an error message) unless `name` is in `safeKeys` (lower case) and the value is plain, and every
 * bare query component (`?value`, `&value`) of a URL in the text. A hidden value runs to the next
 * `&` or whitespace: passwords often hold an unencoded `;` or `#`.
 */
export function redactQueryValues(text: string, safeKeys: ReadonlySet<string>): string {
  return hideParams(text.replace(URL_TOKEN, hideBareComponents), safeKeys);
}

function hideBareComponents(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const parts = url.slice(q + 1).split(/([&;#])/);
  // split with a capture group keeps the separators at the odd indexes
  return url.slice(0, q + 1) + parts.map((part, i) => (i % 2 === 1 || part === '' || part.indexOf('=') > 0 ? part : '***')).join('');
}

function hideParams(text: string, safeKeys: ReadonlySet<string>): string {
  let out = '';
  let copied = 0;
  const param = new RegExp(PARAM.source, 'g');
  for (let m = param.exec(text); m; m = param.exec(text)) {
    const valueStart = m.index + m[0].length;
    out += text.slice(copied, valueStart);
    if (isSafe(m[1]!, safeKeys)) {
      const plainEnd = valueStart + PLAIN_VALUE.exec(text.slice(valueStart))![0].length;
      if (plainEnd === text.length || PLAIN_END.test(text.charAt(plainEnd))) {
        out += text.slice(valueStart, plainEnd);
        copied = plainEnd;
        param.lastIndex = plainEnd;
        continue;
      }
    }
    const rest = text.slice(valueStart).search(/[&\s]/);
    const end = rest === -1 ? text.length : valueStart + rest;
    if (end > valueStart) out += '***';
    copied = end;
    param.lastIndex = end;
  }
  return out + text.slice(copied);
}

/**
 * A request path's query with every value hidden unless its name is in `safeKeys`: for request
 * logs, where the whole string after the first `?` is the query.
 */
export function redactRequestQuery(pathAndQuery: string, safeKeys: ReadonlySet<string>): string {
  const q = pathAndQuery.indexOf('?');
  if (q === -1) return pathAndQuery;
  const query = pathAndQuery
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq === -1) return part === '' ? part : '***';
      const value = part.slice(eq + 1);
      const plain = PLAIN_VALUE.exec(value)![0] === value;
      return isSafe(part.slice(0, eq), safeKeys) && plain ? part : `${part.slice(0, eq)}=${value === '' ? '' : '***'}`;
    })
    .join('&');
  return `${pathAndQuery.slice(0, q)}?${query}`;
}
