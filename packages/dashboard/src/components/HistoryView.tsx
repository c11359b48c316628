import { useEffect, useState } from 'react';
import { errorMessage } from '../api/http';
import { getSession } from '../api/sessions';
import type { SessionView } from '../api/types';
import { useDebounced } from '../hooks/useDebounced';
import { useHistory } from '../hooks/useHistory';
import type { HistoryFilter } from '../hooks/useHistory';
import { ErrorText } from './ErrorText';
import { HistoryDetail } from './HistoryDetail';
import { HistoryFilters } from './HistoryFilters';
import { HistoryItem } from './HistoryItem';

/** Text filters wait this long after the last keystroke before asking the server. */
const FILTER_DEBOUNCE_MS = 300;

/** Ended sessions, filterable and paged, and the output of the one selected. */
export function HistoryView({
  selectedId,
  onSelect,
  onResumed,
}: {
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** A new session continues the selected one's conversation. */
  onResumed: (session: SessionView) => void;
}) {
  const [filter, setFilter] = useState<HistoryFilter>({ status: 'ended', dir: '', q: '' });
  const debounced = useDebounced(filter, FILTER_DEBOUNCE_MS);
  const settled = filter.status === debounced.status ? debounced : filter;
  const history = useHistory(settled);
  // Typed filters not yet sent: the list on screen no longer answers them.
  const pending = filter.dir !== settled.dir || filter.q !== settled.q;
  const shown = pending ? [] : history.sessions;
  const selected = useSelectedSession(selectedId, history.sessions);

  return (
    <div className="history">
      <div className="history-side">
        <HistoryFilters filter={filter} onChange={setFilter} />
        <ErrorText error={history.error} testId="history-error-list" />
        <ul className="history-list" data-testid="history-list">
          {shown.map((session) => (
            <HistoryItem
              key={session.id}
              session={session}
              selected={session.id === selectedId}
              onSelect={onSelect}
            />
          ))}
        </ul>
        {shown.length === 0 && (
          <p className="muted">{pending || history.loading ? 'Searching…' : 'No sessions match.'}</p>
        )}
        {history.hasMore && !pending && (
          <button
            type="button"
            data-testid="history-more"
            disabled={history.loading}
            onClick={history.loadMore}
          >
            {history.loading ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
      <div className="history-main">
        {selected.session !== null ? (
          <HistoryDetail session={selected.session} onSelect={onSelect} onResumed={onResumed} />
        ) : selected.error !== null ? (
          <ErrorText error={selected.error} />
        ) : (
          <p className="muted">{selectedId === null ? 'Pick a session to read its output.' : 'Loading…'}</p>
        )}
      </div>
    </div>
  );
}

/** The selected session, from the list when it is there, otherwise from the server. */
function useSelectedSession(
  id: string | null,
  listed: SessionView[],
): { session: SessionView | null; error: string | null } {
  const fromList = id === null ? undefined : listed.find((session) => session.id === id);
  const [fetched, setFetched] = useState<{ session: SessionView | null; error: string | null }>({
    session: null,
    error: null,
  });
  const needed = id !== null && fromList === undefined;
  useEffect(() => {
    if (!needed || id === null) return;
    let current = true;
    setFetched({ session: null, error: null });
    getSession(id)
      .then((session) => current && setFetched({ session, error: null }))
      .catch((caught: unknown) => current && setFetched({ session: null, error: errorMessage(caught) }));
    return () => {
      current = false;
    };
  }, [id, needed]);
  if (fromList !== undefined) return { session: fromList, error: null };
  if (id === null || fetched.session?.id !== id) return { session: null, error: fetched.error };
  return fetched;
}
