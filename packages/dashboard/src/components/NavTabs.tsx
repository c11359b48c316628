import type { Route } from '../hooks/useRoute';

interface NavTabsProps {
  route: Route;
  /** The session the Session tab returns to. */
  sessionId: string | null;
  navigate: (route: Route) => void;
}

/** The main area's views. */
export function NavTabs({ route, sessionId, navigate }: NavTabsProps) {
  const tab = (view: Route['view'], label: string, testId: string, target: Route) => (
    <button
      type="button"
      role="tab"
      className={`tab ${route.view === view ? 'is-active' : ''}`}
      aria-selected={route.view === view}
      data-testid={testId}
      onClick={() => navigate(target)}
    >
      {label}
    </button>
  );
  return (
    <div className="tabs" role="tablist">
      {tab('session', 'Session', 'nav-session', { view: 'session', id: sessionId })}
      {tab('new', 'New session', 'nav-new', { view: 'new' })}
      {tab('history', 'History', 'nav-history', { view: 'history', id: null })}
      {tab('project', 'Project', 'nav-project', { view: 'project' })}
    </div>
  );
}
