import { useCallback, useEffect, useMemo, useState } from 'react';
import { onUnauthorized } from './api/http';
import { listSessions } from './api/sessions';
import { HarnessSocket, socketUrl } from './api/socket';
import { clearToken, readToken, storeToken } from './api/token';
import type { CheckpointView, SessionView } from './api/types';
import { ConnectionBanner } from './components/ConnectionBanner';
import { Header } from './components/Header';
import { HistoryView } from './components/HistoryView';
import { LoginScreen } from './components/LoginScreen';
import { NavTabs } from './components/NavTabs';
import { NewSessionForm } from './components/NewSessionForm';
import { ProjectView } from './components/ProjectView';
import { SessionList } from './components/SessionList';
import { SessionPanel } from './components/SessionPanel';
import { shortCommand } from './format';
import { useConnection } from './hooks/useConnection';
import { useNotifications } from './hooks/useNotifications';
import { useRoute } from './hooks/useRoute';
import { useSessions } from './hooks/useSessions';
import { readLastDir } from './hooks/useStoredValue';

const TITLE = 'gsd-harness';

/** The dashboard: header, live sessions on the left, the chosen view on the right. */
export function App() {
  const socket = useMemo(() => new HarnessSocket(() => socketUrl(readToken())), []);
  const [login, setLogin] = useState<{ required: boolean; message: string | null }>({
    required: false,
    message: null,
  });
  const active = !login.required;

  useEffect(
    () =>
      onUnauthorized(() => {
        // A stored token the server refuses is stale (the server restarted with a new one): forget it.
        const hadToken = readToken() !== null;
        if (hadToken) clearToken();
        setLogin({ required: true, message: hadToken ? 'The access token was not accepted.' : null });
      }),
    [],
  );

  const connection = useConnection(socket, active);
  // A refused WebSocket cannot say why; a REST call answers 401 when the token is the reason.
  useEffect(() => {
    if (active && connection.refused) listSessions({ limit: 1 }).catch(() => undefined);
  }, [active, connection.refused, connection.retryAt]);

  const notifications = useNotifications();
  const { notify } = notifications;
  const onWaiting = useCallback(
    (session: SessionView, checkpoint: CheckpointView | undefined) => {
      const what = checkpoint?.title ?? checkpoint?.type ?? 'input';
      notify(`Waiting: ${what}`, shortCommand(session.command, 100), session.id);
    },
    [notify],
  );
  const model = useSessions(socket, active, connection.status === 'connected', onWaiting);
  const { upsert } = model;

  const [route, navigate] = useRoute();
  const [lastSessionId, setLastSessionId] = useState<string | null>(null);
  useEffect(() => {
    if (route.view === 'session' && route.id !== null) setLastSessionId(route.id);
  }, [route]);
  const selectedId = route.view === 'session' ? route.id : lastSessionId;

  const waitingCount = model.sessions.filter((s) => s.status === 'waiting_checkpoint').length;
  useEffect(() => {
    document.title = waitingCount > 0 ? `(${waitingCount} waiting) ${TITLE}` : TITLE;
  }, [waitingCount]);

  const openSession = useCallback((id: string) => navigate({ view: 'session', id }), [navigate]);
  const started = useCallback(
    (session: SessionView) => {
      upsert(session);
      navigate({ view: 'session', id: session.id });
    },
    [upsert, navigate],
  );

  if (login.required) {
    return (
      <LoginScreen
        message={login.message}
        onSubmit={(token) => {
          storeToken(token);
          setLogin({ required: false, message: null });
        }}
      />
    );
  }

  const selectedSession = selectedId === null ? undefined : model.byId.get(selectedId);
  return (
    <div className="app">
      <Header
        connection={connection}
        slots={model.slots}
        waitingCount={waitingCount}
        notificationPermission={notifications.permission}
        onEnableNotifications={notifications.request}
      />
      <ConnectionBanner connection={connection} onRetry={() => socket.retryNow()} />
      <div className="body">
        <SessionList
          sessions={model.sessions}
          checkpoints={model.checkpoints}
          selectedId={route.view === 'session' ? route.id : null}
          error={model.error}
          onSelect={openSession}
          onDismissEnded={model.dismissEnded}
        />
        <main className="main">
          <NavTabs route={route} sessionId={lastSessionId} navigate={navigate} />
          {route.view === 'session' &&
            (route.id === null ? (
              <p className="muted empty">Pick a session on the left, or start a new one.</p>
            ) : (
              <SessionPanel
                key={route.id}
                socket={socket}
                sessionId={route.id}
                session={model.byId.get(route.id)}
                checkpoint={model.checkpoints.get(route.id)}
                onUpdate={upsert}
                onSelect={openSession}
                onResumed={started}
              />
            ))}
          {route.view === 'new' && <NewSessionForm onStarted={started} />}
          {route.view === 'history' && (
            <HistoryView
              selectedId={route.id}
              onSelect={(id) => navigate({ view: 'history', id })}
              onResumed={started}
            />
          )}
          {route.view === 'project' && (
            <ProjectView initialDir={selectedSession?.workingDir ?? readLastDir()} />
          )}
        </main>
      </div>
    </div>
  );
}
