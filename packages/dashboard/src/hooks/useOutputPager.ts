import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/http';
import { readOutput } from '../api/sessions';
import type { TerminalHandle } from '../terminal/create-terminal';

/** Bytes of stored output shown per page. */
export const PAGE_BYTES = 65536;

export interface OutputPage {
  fromOffset: number;
  nextOffset: number;
  totalBytes: number;
}

export interface OutputPager {
  page: OutputPage | null;
  loading: boolean;
  error: string | null;
  older: () => void;
  newer: () => void;
  first: () => void;
  last: () => void;
}

/**
 * Pages a session's stored output into a read-only terminal, one window at a time: each page replaces
 * the terminal's contents, so only one page is ever held.
 */
export function useOutputPager(
  sessionId: string,
  handle: TerminalHandle | null,
  knownTotal: number,
): OutputPager {
  const [page, setPage] = useState<OutputPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const show = useCallback(
    (fromOffset: number, toEnd = false) => {
      if (handle === null) return;
      const mine = ++generation.current;
      const load = (from: number, seekEnd: boolean): void => {
        setLoading(true);
        readOutput(sessionId, Math.max(0, from), PAGE_BYTES)
          .then((result) => {
            if (mine !== generation.current) return;
            if (seekEnd && result.nextOffset < result.totalBytes) {
              // The session grew since it was listed: the last page starts later than thought.
              load(result.totalBytes - PAGE_BYTES, false);
              return;
            }
            handle.terminal.reset();
            handle.terminal.write(result.data);
            setPage({
              fromOffset: result.fromOffset,
              nextOffset: result.nextOffset,
              totalBytes: result.totalBytes,
            });
            setError(null);
            setLoading(false);
          })
          .catch((caught: unknown) => {
            if (mine !== generation.current) return;
            setError(errorMessage(caught));
            setLoading(false);
          });
      };
      load(fromOffset, toEnd);
    },
    [sessionId, handle],
  );

  // Only the first page starts from the size known beforehand; later pages use the server's totals.
  const initialTotal = useRef(knownTotal);
  useEffect(() => {
    show(Math.max(0, initialTotal.current - PAGE_BYTES), true);
  }, [show]);

  const total = page?.totalBytes ?? knownTotal;
  return {
    page,
    loading,
    error,
    older: () => show(Math.max(0, (page?.fromOffset ?? 0) - PAGE_BYTES)),
    newer: () => show(page?.nextOffset ?? 0),
    first: () => show(0),
    last: () => show(Math.max(0, total - PAGE_BYTES), true),
  };
}
