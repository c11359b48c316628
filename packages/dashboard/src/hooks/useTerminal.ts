import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { createTerminal } from '../terminal/create-terminal';
import type { TerminalHandle } from '../terminal/create-terminal';

/** An xterm opened in `container` for the component's lifetime; remount (key) to get a fresh one. */
export function useTerminal(
  convertEol: boolean,
  size?: { cols: number; rows: number },
): [RefObject<HTMLDivElement | null>, TerminalHandle | null] {
  const container = useRef<HTMLDivElement | null>(null);
  const [handle, setHandle] = useState<TerminalHandle | null>(null);
  const initial = useRef({ convertEol, size });
  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const { convertEol: eol, size: first } = initial.current;
    const created = createTerminal({ convertEol: eol, cols: first?.cols, rows: first?.rows });
    created.terminal.open(element);
    setHandle(created);
    return () => {
      setHandle(null);
      created.terminal.dispose();
    };
  }, []);
  return [container, handle];
}
