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
  /** multipart/form-data with one file in `field` (enrolment, kiosk frames). */
  upload<T>(path: string, field: string, file: Blob, filename: string): Promise<T>;
  /** An image from /api/media as a Blob (needs the bearer token, so no plain <img src>). */
  blob(path: string): Promise<Blob>;
}

/**
 * fetch with the session's bearer token. A 401 means the token stopped working (revoked or
 * expired): the session ends and the sign-in screen says why.
 */
export function createApi(token: string, onUnauthorized: (message: string) => void): Api {
  async function send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (contentType) headers['content-type'] = contentType;
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body, cache: 'no-store' });
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
    upload: async (path, field, file, filename) => {
      const form = new FormData();
      form.append(field, file, filename);
      return json(await send('POST', path, form));
    },
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
