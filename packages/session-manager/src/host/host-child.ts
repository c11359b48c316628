import { StringDecoder } from 'node:string_decoder';
import type { ChildCallbacks, ChildHandle } from '../process/child.js';
import type { HostConnection } from './host-connection.js';

export interface HostChildHooks {
  /** Another client of the host (an attached terminal) changed the terminal size. */
  onResized(cols: number, rows: number): void;
  /** Another client of the host (an attached terminal) typed these keys into the session. */
  onTyped(text: string): void;
  /** The connection closed without the host reporting the session's end. */
  onLost(reason: string): void;
  /** Whether the connection was closed on purpose, to leave the session running. */
  isReleased(): boolean;
}

/**
 * A session's process as seen through its host: input, resize and termination go over the socket,
 * and the host's output and exit come back as a local child's would.
 */
export function hostChild(
  connection: HostConnection,
  pid: number,
  callbacks: ChildCallbacks,
  hooks: HostChildHooks,
): ChildHandle {
  let ended = false;
  const typedDecoder = new StringDecoder('utf8');
  const end = (exitCode: number | null, signal: string | null): void => {
    if (ended) return;
    ended = true;
    callbacks.onExit({ exitCode, signal });
  };
  connection.start({
    onOutput: (_offset, bytes) => {
      // Once released, the session is its host's alone: nothing it prints is reported here.
      if (!ended && !hooks.isReleased()) callbacks.onData(bytes);
    },
    onResized: (cols, rows) => {
      if (!hooks.isReleased()) hooks.onResized(cols, rows);
    },
    onTyped: (bytes) => {
      // A character may come split across two frames.
      const text = typedDecoder.write(bytes);
      if (text !== '' && !ended && !hooks.isReleased()) hooks.onTyped(text);
    },
    onExit: (exit) => {
      if (!hooks.isReleased()) end(exit.exitCode, exit.signal);
    },
    onClose: (reason) => {
      if (ended || hooks.isReleased()) return;
      hooks.onLost(reason);
      end(null, null);
    },
  });
  return {
    pid,
    write: (data) => connection.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data),
    endInput: () => connection.send({ type: 'end-input' }),
    resize: (cols, rows) => connection.send({ type: 'resize', cols, rows }),
    // The host terminates in steps itself (SIGTERM, then SIGKILL after its grace period).
    kill: () => connection.send({ type: 'terminate' }),
    pause: () => connection.pause(),
    resume: () => connection.resume(),
    forceClose: () => void connection.close(),
  };
}
