import type { ErrorBody } from '@vigil/contracts';

/** A refused request, carrying the server's message (written for people: show it as is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: ErrorBody | null,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  del(path: string): Promise<void>;
  /** multipart/form-data with one file in `field` (enrolment, kiosk frames, scans), after the plain `fields`. */
  upload<T>(path: string, field: string, file: Blob, filename: string, fields?: Record<string, string>): Promise<T>;
  /** multipart/form-data as built by the caller (a liveness challenge's frames and nonce). */
  form<T>(path: string, form: FormData): Promise<T>;
  /** An image from /api/media as a Blob (kiosk tokens need the header, so no plain <img src>). */
  blob(path: string): Promise<Blob>;
}

/**
 * How the page authenticates: a person's cookie session (the browser sends the HttpOnly cookie;
 * the page adds the CSRF token to state-changing requests) or a device token (kiosks).
 */
export type Credentials = { kind: 'session'; csrfToken: string } | { kind: 'token'; token: string };

/** The headers that authenticate a request made with these credentials. */
export function authHeaders(credentials: Credentials, method: string): Record<string, string> {
  if (credentials.kind === 'token') return { authorization: `Bearer ${credentials.token}` };
  return method === 'GET' || method === 'HEAD' ? {} : { 'x-csrf-token': credentials.csrfToken };
}

/**
 * fetch with the session's credentials. A 401 means they stopped working (signed out elsewhere,
 * expired, account disabled, token revoked): the session ends and the sign-in screen says why.
 */
export function createApi(credentials: Credentials, onUnauthorized: (message: string) => void): Api {
  async function send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { ...authHeaders(credentials, method), accept: 'application/json' };
    if (contentType) headers['content-type'] = contentType;
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'Cannot reach the Vigil server. Check the network; the page keeps trying.', null);
    }
    if (res.ok) return res;
    const error = await readError(res);
    if (res.status === 401) onUnauthorized(error.message);
    throw error;
  }
  const json = async <T>(res: Response): Promise<T> => (res.status === 204 ? (undefined as T) : ((await res.json()) as T));
  return {
    get: async (path) => json(await send('GET', path)),
    post: async (path, body) => json(await send('POST', path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json')),
    patch: async (path, body) => json(await send('PATCH', path, JSON.stringify(body), 'application/json')),
    del: async (path) => {
      await send('DELETE', path);
    },
    upload: async (path, field, file, filename, fields = {}) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append(field, file, filename);
      return json(await send('POST', path, form));
    },
    form: async (path, form) => json(await send('POST', path, form)),
    blob: async (path) => (await send('GET', path)).blob(),
  };
}

async function readError(res: Response): Promise<ApiError> {
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const fallback = res.status === 404 ? 'Not found on this server.' : `The server answered ${res.status} ${res.statusText}.`;
  return new ApiError(res.status, typeof body?.message === 'string' ? body.message : fallback, body);
}

/** Nest's own 404 for a route this server (or this process of it) does not have: "Cannot GET /api/…". */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /^Cannot [A-Z]+ \//.test(error.message);
}

/** The message to show for any failure. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Plain JSON requests before a session exists (sign-in, setup, "am I signed in?"). */
export async function requestJson<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the Vigil server. Check the network and try again.', null);
  }
  if (!res.ok) throw await readError(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
