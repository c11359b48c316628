import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/http';
import { getCheckpoint, getSession, listSessions } from '../api/sessions';
import type { HarnessSocket } from '../api/socket';
import { isLive } from '../api/types';
import type { CheckpointView, ServerMessage, SessionView, Slots } from '../api/types';

/** Lifecycle events change the slot count; refetching waits this long so a burst costs one request. */
const SLOTS_REFRESH_MS = 250;

export interface SessionsModel {
  /** Live sessions plus those seen in this tab, newest first. */
  sessions: SessionView[];
  byId: ReadonlyMap<string, SessionView>;
  slots: Slots | null;
  /** The checkpoint each waiting session stopped at. */
  checkpoints: ReadonlyMap<string, CheckpointView>;
  error: string | null;
  refresh: () => Promise<void>;
  upsert: (session: SessionView) => void;
  dismissEnded: () => void;
}

function byNewest(a: SessionView, b: SessionView): number {
  return b.startedAt.localeCompare(a.startedAt);
}

/**
 * The sidebar's sessions: fetched over REST on start and on every reconnect, then kept current by the
 * WebSocket's session events. `onWaiting` fires when a session stops at a checkpoint.
 */
export function useSessions(
  socket: HarnessSocket,
  active: boolean,
  connected: boolean,
  onWaiting: (session: SessionView, checkpoint: CheckpointView | undefined) => void,
): SessionsModel {
  const [byId, setById] = useState<ReadonlyMap<string, SessionView>>(new Map());
  const [checkpoints, setCheckpoints] = useState<ReadonlyMap<string, CheckpointView>>(new Map());
  const [slots, setSlots] = useState<Slots | null>(null);
  const [error, setError] = useState<string | null>(null);
  const byIdRef = useRef(byId);
  byIdRef.current = byId;
  const onWaitingRef = useRef(onWaiting);
  onWaitingRef.current = onWaiting;
  // Event sequence per session: a list fetched before an event must not undo what the event said.
  const eventSeq = useRef(0);
  const lastEvent = useRef(new Map<string, number>());
  const fetchingCheckpoints = useRef(new Set<string>());

  const merge = useCallback((sessions: SessionView[], since?: number) => {
    if (sessions.length === 0) return;
    setById((previous) => {
      const next = new Map(previous);
      for (const session of sessions) {
        if (since !== undefined && (lastEvent.current.get(session.id) ?? -1) > since) continue;
        next.set(session.id, session);
      }
      return next;
    });
  }, []);

  const refresh = useCallback(async () => {
    const since = eventSeq.current;
    try {
      const list = await listSessions({ status: 'live', limit: 500 });
      setSlots(list.slots);
      setError(null);
      merge(list.sessions, since);
      // Sessions that ended while the page was away are missing from the live list: ask for each.
      const listed = new Set(list.sessions.map((session) => session.id));
      const missing = [...byIdRef.current.values()].filter((s) => isLive(s) && !listed.has(s.id));
      const results = await Promise.allSettled(missing.map((session) => getSession(session.id)));
      merge(
        results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
        since,
      );
      const gone = missing.filter((_, i) => {
        const result = results[i];
        return (
          result?.status === 'rejected' && result.reason instanceof ApiError && result.reason.status === 404
        );
      });
      if (gone.length > 0) {
        setById((previous) => {
          const next = new Map(previous);
          for (const session of gone) next.delete(session.id);
          return next;
        });
      }
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [merge]);

  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshSoon = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void refresh(), SLOTS_REFRESH_MS);
  }, [refresh]);
  useEffect(() => () => clearTimeout(refreshTimer.current), []);

  useEffect(() => {
    if (active) void refresh();
  }, [active, refresh]);

  useEffect(() => {
    if (active && connected) void refresh();
  }, [active, connected, refresh]);

  useEffect(
    () =>
      socket.onMessage((message: ServerMessage) => {
        if (message.type === 'hello') {
          merge(message.sessions);
          return;
        }
        if (message.type !== 'session') return;
        const { session, event, checkpoint } = message;
        lastEvent.current.set(session.id, ++eventSeq.current);
        merge([session]);
        if (event === 'session:waiting') {
          if (checkpoint !== undefined)
            setCheckpoints((previous) => new Map(previous).set(session.id, checkpoint));
          onWaitingRef.current(session, checkpoint);
        } else {
          setCheckpoints((previous) => {
            if (!previous.has(session.id)) return previous;
            const next = new Map(previous);
            next.delete(session.id);
            return next;
          });
        }
        if (event !== 'session:waiting' && event !== 'session:resumed') refreshSoon();
      }),
    [socket, merge, refreshSoon],
  );

  // Waiting sessions found by a fetch (not an event) still need their checkpoint; stale ones are dropped.
  useEffect(() => {
    for (const session of byId.values()) {
      const id = session.id;
      if (session.status !== 'waiting_checkpoint' || checkpoints.has(id)) continue;
      if (fetchingCheckpoints.current.has(id)) continue;
      fetchingCheckpoints.current.add(id);
      getCheckpoint(id)
        .then((state) => {
          const found = state.checkpoint;
          if (state.waiting && found !== null) setCheckpoints((previous) => new Map(previous).set(id, found));
        })
        .catch(() => undefined)
        .finally(() => fetchingCheckpoints.current.delete(id));
    }
    const stale = [...checkpoints.keys()].filter((id) => byId.get(id)?.status !== 'waiting_checkpoint');
    if (stale.length > 0) {
      setCheckpoints((previous) => {
        const next = new Map(previous);
        for (const id of stale) next.delete(id);
        return next;
      });
    }
  }, [byId, checkpoints]);

  const upsert = useCallback((session: SessionView) => merge([session]), [merge]);

  const dismissEnded = useCallback(() => {
    setById((previous) => new Map([...previous].filter(([, session]) => isLive(session))));
  }, []);

  const sessions = useMemo(() => [...byId.values()].sort(byNewest), [byId]);

  return { sessions, byId, slots, checkpoints, error, refresh, upsert, dismissEnded };
}
