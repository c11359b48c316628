import { useEffect, useRef } from 'react';
import type { HarnessSocket } from '../api/socket';
import type { SessionView } from '../api/types';
import { useTerminal } from '../hooks/useTerminal';
import { fitTerminal } from '../terminal/create-terminal';
import type { TerminalHandle } from '../terminal/create-terminal';
import { LiveFeed } from '../terminal/live-feed';

/** Panel resizes are sent once they stop for this long, not on every frame of a drag. */
const RESIZE_DEBOUNCE_MS = 150;

/** Fits the terminal to its panel and tells the session's PTY the new size. */
function fitAndReport(handle: TerminalHandle, socket: HarnessSocket, sessionId: string): void {
  if (!fitTerminal(handle)) return;
  const { cols, rows } = handle.terminal;
  socket.send({ type: 'resize', sessionId, cols, rows });
}

interface LiveTerminalProps {
  socket: HarnessSocket;
  session: SessionView;
  /** Keystrokes go to the session and the PTY follows the panel's size. */
  control: boolean;
}

/**
 * A session's terminal, fed from the WebSocket. Read-only at the session's own size unless the person
 * has taken control.
 */
export function LiveTerminal({ socket, session, control }: LiveTerminalProps) {
  const size =
    session.cols != null && session.rows != null ? { cols: session.cols, rows: session.rows } : undefined;
  const [container, handle] = useTerminal(session.mode === 'pipe', size);
  const sessionId = session.id;
  const controlRef = useRef(control);
  controlRef.current = control;

  useEffect(() => {
    if (handle === null) return;
    const feed = new LiveFeed(socket, sessionId, handle.terminal, {
      // A snapshot comes at the PTY's size; while in control the panel's size wins again.
      afterSnapshot: () => {
        if (controlRef.current) fitAndReport(handle, socket, sessionId);
      },
    });
    return () => feed.dispose();
  }, [socket, sessionId, handle]);

  useEffect(() => {
    const element = container.current;
    if (handle === null || element === null) return;
    const { terminal } = handle;
    terminal.options.disableStdin = !control;
    terminal.options.cursorBlink = control;
    if (!control) return;
    fitAndReport(handle, socket, sessionId);
    terminal.focus();
    const input = terminal.onData((data) => socket.send({ type: 'input', sessionId, data }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => fitAndReport(handle, socket, sessionId), RESIZE_DEBOUNCE_MS);
    });
    observer.observe(element);
    return () => {
      input.dispose();
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [socket, sessionId, handle, control, container]);

  return (
    <div
      className={`term-box ${control ? 'term-box-control' : 'term-box-readonly'}`}
      data-testid="terminal"
      ref={container}
    />
  );
}
