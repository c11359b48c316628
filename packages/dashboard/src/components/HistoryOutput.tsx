import { useEffect } from 'react';
import type { SessionView } from '../api/types';
import { formatBytes } from '../format';
import { useOutputPager } from '../hooks/useOutputPager';
import { useTerminal } from '../hooks/useTerminal';
import { fitTerminal } from '../terminal/create-terminal';
import { ErrorText } from './ErrorText';

/** A session's stored output, one 64 KiB page at a time, in a read-only terminal. */
export function HistoryOutput({ session }: { session: SessionView }) {
  const size =
    session.cols != null && session.rows != null ? { cols: session.cols, rows: session.rows } : undefined;
  const [container, handle] = useTerminal(session.mode === 'pipe', size);
  const pager = useOutputPager(session.id, handle, session.outputBytes);
  const page = pager.page;

  // Without a recorded size the panel decides; the text wraps as it would in a terminal this wide.
  const sized = size !== undefined;
  useEffect(() => {
    if (handle !== null && !sized) fitTerminal(handle);
  }, [handle, sized]);

  const atStart = page === null || page.fromOffset === 0;
  const atEnd = page === null || page.nextOffset >= page.totalBytes;
  return (
    <div className="history-output">
      <div className="toolbar">
        <button
          type="button"
          data-testid="history-start"
          disabled={pager.loading || atStart}
          onClick={pager.first}
        >
          Start
        </button>
        <button
          type="button"
          data-testid="history-older"
          disabled={pager.loading || atStart}
          onClick={pager.older}
        >
          Older
        </button>
        <button
          type="button"
          data-testid="history-newer"
          disabled={pager.loading || atEnd}
          onClick={pager.newer}
        >
          Newer
        </button>
        <button
          type="button"
          data-testid="history-end"
          disabled={pager.loading || atEnd}
          onClick={pager.last}
        >
          End
        </button>
        <span className="muted" data-testid="history-range">
          {page === null
            ? 'Loading…'
            : `bytes ${page.fromOffset}–${page.nextOffset} of ${page.totalBytes} (${formatBytes(page.totalBytes)})`}
        </span>
      </div>
      <ErrorText error={pager.error} testId="history-error" />
      <div className="term-box term-box-readonly" data-testid="history-output" ref={container} />
    </div>
  );
}
