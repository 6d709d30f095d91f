import { useSyncExternalStore } from 'react';

/**
 * The consoles have a handful of fixed paths (`/`, `/kiosk`, `/review[/…]`, `/admin[/…]`); the
 * server answers each with index.html. History API navigation is all the routing they need.
 */
const subscribe = (listener: () => void) => {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
};

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string, replace = false): void {
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
