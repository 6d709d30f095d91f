import { RefObject, useEffect, useState } from 'react';

/**
 * Whether the element is on screen and the tab is shown (IntersectionObserver and
 * document.visibilityState): live pictures load only while someone can see them.
 */
export function useVisible(ref: RefObject<Element | null>, rootMargin = '0px'): boolean {
  const [inView, setInView] = useState(false);
  const [shown, setShown] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => setInView(entries.some((e) => e.isIntersecting)), { rootMargin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, rootMargin]);
  useEffect(() => {
    const update = () => setShown(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return inView && shown;
}
