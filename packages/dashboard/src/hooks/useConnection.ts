import { useEffect, useState } from 'react';
import type { ConnectionState, HarnessSocket } from '../api/socket';

/** Runs the socket while `enabled` and reports its state. */
export function useConnection(socket: HarnessSocket, enabled: boolean): ConnectionState {
  const [state, setState] = useState(socket.state);
  useEffect(() => socket.onState(setState), [socket]);
  useEffect(() => {
    if (!enabled) return;
    socket.start();
    return () => socket.stop();
  }, [socket, enabled]);
  return state;
}
