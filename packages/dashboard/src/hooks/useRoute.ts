import { useCallback, useEffect, useState } from 'react';

export type Route =
  | { view: 'session'; id: string | null }
  | { view: 'new' }
  | { view: 'history'; id: string | null }
  | { view: 'project' };

/** `#/session/<id>`, `#/new`, `#/history[/<id>]`, `#/project`; anything else is the session view. */
export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  const decoded = id === undefined || id === '' ? null : decodeURIComponent(id);
  if (view === 'new') return { view: 'new' };
  if (view === 'project') return { view: 'project' };
  if (view === 'history') return { view: 'history', id: decoded };
  return { view: 'session', id: decoded };
}

export function routeHash(route: Route): string {
  if (route.view === 'new' || route.view === 'project') return `#/${route.view}`;
  return route.id === null ? `#/${route.view}` : `#/${route.view}/${encodeURIComponent(route.id)}`;
}

/** The current view, kept in the URL hash so a reload or the back button returns to it. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  const navigate = useCallback((next: Route) => {
    const hash = routeHash(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(next);
  }, []);
  return [route, navigate];
}
