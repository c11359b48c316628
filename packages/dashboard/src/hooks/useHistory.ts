import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/http';
import { listSessions } from '../api/sessions';
import type { SessionView } from '../api/types';

/** Sessions fetched per page of the history list. */
export const HISTORY_PAGE_SIZE = 50;

export interface HistoryFilter {
  status: 'ended' | 'completed' | 'failed';
  dir: string;
  q: string;
}

export interface HistoryModel {
  /** Sessions matching the current filter only: a list fetched for an older filter is never shown. */
  sessions: SessionView[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

interface Result {
  key: string;
  sessions: SessionView[];
  hasMore: boolean;
}

/** Ended sessions matching `filter`, newest first, paged by start time. */
export function useHistory(filter: HistoryFilter): HistoryModel {
  const { status } = filter;
  const dir = filter.dir.trim();
  const q = filter.q.trim();
  const key = JSON.stringify([status, dir, q]);
  const [result, setResult] = useState<Result>({ key: '', sessions: [], hasMore: false });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers for an older filter or page are ignored once a newer request has started.
  const generation = useRef(0);

  const fetchPage = useCallback(
    async (before: string | undefined, previous: SessionView[]) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const list = await listSessions({ status, dir, q, limit: HISTORY_PAGE_SIZE, before });
        if (mine !== generation.current) return;
        setResult({
          key,
          sessions: [...previous, ...list.sessions],
          hasMore: list.sessions.length === HISTORY_PAGE_SIZE,
        });
        setError(null);
      } catch (caught) {
        if (mine === generation.current) setError(errorMessage(caught));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [status, dir, q, key],
  );

  useEffect(() => {
    void fetchPage(undefined, []);
  }, [fetchPage]);

  const current = result.key === key ? result : { key, sessions: [], hasMore: false };
  const loadMore = useCallback(() => {
    const last = current.sessions[current.sessions.length - 1];
    if (last !== undefined) void fetchPage(last.startedAt, current.sessions);
  }, [current.sessions, fetchPage]);

  const reload = useCallback(() => void fetchPage(undefined, []), [fetchPage]);

  return { sessions: current.sessions, loading, error, hasMore: current.hasMore, loadMore, reload };
}
