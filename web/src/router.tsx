/**
 * The portal's routes live in the address bar (`/portal/...`, which Lantern answers with this page),
 * so a reload or a shared link opens the same view. A tiny history router: no dependency needed.
 */
import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';
import { Link } from '@fluentui/react-components';

const CHANGED = 'lantern:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

const current = () => window.location.pathname + window.location.search;

/** The current location; the component renders again when it changes. */
export function useLocation(): URL {
  return new URL(useSyncExternalStore(subscribe, current), window.location.origin);
}

/** Goes to `to` (a path with its query) without reloading the page. */
export function navigate(to: string): void {
  if (to === current()) return;
  window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGED));
  window.scrollTo(0, 0);
}

/** A link inside the portal: a real `<a href>` (open in a new tab works), followed without a reload. */
export function RouteLink({ to, children, ...rest }: { to: string; children: ReactNode; 'aria-current'?: 'page' | undefined; className?: string; inverted?: boolean }) {
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <Link href={to} onClick={follow} {...rest}>{children}</Link>;
}
