import { useCallback, useEffect, useState } from 'react';
import { errorText } from './http';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  /** Loads again (after a change, or on a push from the server). */
  reload: () => void;
  /** Replaces the data locally with what a write returned, without a round trip. */
  mutate: (update: (current: T | null) => T | null) => void;
}

/**
 * Loads `load()` whenever it changes (wrap it in useCallback with its inputs) or `reload` is
 * called. A late answer for inputs that have since changed is dropped.
 */
export function useResource<T>(load: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => {
        if (live) setState({ data, error: null });
      },
      (error: unknown) => {
        if (live) setState((s) => ({ ...s, error: errorText(error) }));
      },
    );
    return () => {
      live = false;
    };
  }, [load, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const mutate = useCallback((update: (current: T | null) => T | null) => setState((s) => ({ ...s, data: update(s.data) })), []);
  return { ...state, reload, mutate };
}
