import { useEffect, useState } from 'react';
import type { FaceReferenceView } from '@vigil/contracts';
import { Api, ApiError, errorText } from './http';

/**
 * Stored images need the bearer token, so they are fetched and shown as blob: URLs. Each view is
 * audited server-side; the cache keeps one fetch per image per session.
 */
const images = new Map<string, Promise<string>>();
const references = new Map<string, Promise<string | null>>();

export function clearMediaCache(): void {
  for (const url of images.values()) void url.then((u) => URL.revokeObjectURL(u), () => undefined);
  images.clear();
  references.clear();
}

export function imageUrl(api: Api, path: string): Promise<string> {
  let pending = images.get(path);
  if (!pending) {
    pending = api.blob(path).then((blob) => URL.createObjectURL(blob));
    pending.catch(() => images.delete(path));
    images.set(path, pending);
  }
  return pending;
}

/** The person's first enrolled photo, or null when none is stored. */
export function referencePhotoPath(api: Api, personId: string): Promise<string | null> {
  let pending = references.get(personId);
  if (!pending) {
    pending = api.get<FaceReferenceView[]>(`/api/persons/${personId}/faces`).then((refs) => refs.find((r) => r.imageUrl)?.imageUrl ?? null);
    pending.catch(() => references.delete(personId));
    references.set(personId, pending);
  }
  return pending;
}

export function forgetReferences(personId: string): void {
  references.delete(personId);
}

export type ImageState = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'none' } | { state: 'error'; message: string };

/** Loads `path` as a blob URL. */
export function useImage(api: Api, path: string | null): ImageState {
  return useResolvedImage(api, path, (p) => Promise.resolve(p));
}

/** The person's first enrolled photo as a blob URL. */
export function useReferenceImage(api: Api, personId: string | null): ImageState {
  return useResolvedImage(api, personId, (id) => referencePhotoPath(api, id));
}

function useResolvedImage(api: Api, key: string | null, resolvePath: (key: string) => Promise<string | null>): ImageState {
  const [loaded, setLoaded] = useState<{ key: string; image: ImageState } | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    resolvePath(key)
      .then(async (p): Promise<ImageState> => (p ? { state: 'ready', url: await imageUrl(api, p) } : { state: 'none' }))
      .then(
        (image) => {
          if (live) setLoaded({ key, image });
        },
        (error: unknown) => {
          if (live) setLoaded({ key, image: { state: 'error', message: error instanceof Error ? error.message : String(error) } });
        },
      );
    return () => {
      live = false;
    };
    // resolvePath is derived from api and key; listing it would refetch on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);
  if (!key) return { state: 'none' };
  return loaded?.key === key ? loaded.image : { state: 'loading' };
}

/**
 * Loads `path` afresh, without the session cache, as a blob URL revoked when the component lets go:
 * for short-lived images (recognition attempt thumbnails expire after minutes). A 404 is `none`.
 */
export function useFreshImage(api: Api, path: string | null): ImageState {
  const [loaded, setLoaded] = useState<{ path: string; image: ImageState } | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    let url: string | null = null;
    api.blob(path).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setLoaded({ path, image: { state: 'ready', url } });
      },
      (error: unknown) => {
        if (live) setLoaded({ path, image: error instanceof ApiError && error.status === 404 ? { state: 'none' } : { state: 'error', message: errorText(error) } });
      },
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [api, path]);
  if (!path) return { state: 'none' };
  return loaded?.path === path ? loaded.image : { state: 'loading' };
}
