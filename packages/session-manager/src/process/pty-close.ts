import { readSync } from 'node:fs';
import type { IPty } from 'node-pty';

/** The parts of node-pty's UnixTerminal (1.1.x) used here; not in its public types. */
interface UnixTerminalInternals {
  _fd: number;
  _socket: {
    allowHalfOpen: boolean;
    destroy(error?: Error): unknown;
    once(event: 'end', listener: () => void): unknown;
  };
  _writeStream?: { _writeQueue?: unknown[]; dispose?(): void };
}

const READ_SIZE = 64 * 1024;
const RETRY_MS = 2;

export interface PtyCloseLimits {
  /** Stop draining when nothing has arrived for this long (a background process holds the terminal). */
  idleMs: number;
  /** Stop draining after this long in any case. */
  maxMs: number;
}

/**
 * Makes a node-pty terminal close safely.
 *
 * Every byte is delivered before exit is reported. On Linux, while the terminal's session leader
 * exits, read() on the master side can return 0 once (the slave is being hung up) although output is
 * still queued; node-pty's read stream takes that as end-of-file and closes the descriptor, and its
 * exit handler destroys the stream 200 ms after exit in any case, so the tail of the output is lost.
 * Here the stream is kept open past that early end and the descriptor is read directly until the
 * kernel reports EIO (slave closed, queue empty); only then is the stream destroyed, which lets
 * node-pty report exit.
 *
 * Input still queued when the descriptor closes is dropped. node-pty keeps retrying queued writes on
 * the descriptor number, which the next terminal opened may reuse: the input would reach that session.
 */
export function guardPtyClose(
  pty: IPty,
  onData: (bytes: Buffer) => void,
  limits: PtyCloseLimits,
): { forceClose(): void } {
  const internals = pty as unknown as Partial<UnixTerminalInternals>;
  const socket = internals._socket;
  const fd = internals._fd;
  if (socket === undefined || typeof fd !== 'number') return { forceClose: () => {} };

  const destroy = socket.destroy.bind(socket);
  const closeDescriptor = (error?: Error): unknown => {
    closed = true;
    const writes = internals._writeStream;
    if (writes?._writeQueue !== undefined) writes._writeQueue.length = 0;
    writes?.dispose?.();
    return destroy(error);
  };
  let draining = false;
  let closed = false;
  socket.allowHalfOpen = true;
  socket.destroy = (error?: Error) => {
    if (draining) return socket; // The drain closes the descriptor itself once it reaches EIO.
    return closeDescriptor(error);
  };

  socket.once('end', () => {
    draining = true;
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    const started = Date.now();
    let lastProgress = started;
    const finish = (): void => {
      draining = false;
      closeDescriptor();
    };
    const step = (): void => {
      for (;;) {
        let count: number;
        try {
          count = readSync(fd, buffer, 0, READ_SIZE, null);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') break;
          finish(); // EIO: the other side is closed and nothing is left to read.
          return;
        }
        if (count === 0) break;
        lastProgress = Date.now();
        onData(Buffer.from(buffer.subarray(0, count)));
      }
      const now = Date.now();
      if (now - lastProgress > limits.idleMs || now - started > limits.maxMs) {
        finish();
        return;
      }
      if (!closed) setTimeout(step, RETRY_MS);
    };
    step();
  });

  return {
    // Closing the descriptor makes node-pty report the exit.
    forceClose: () => {
      if (closed) return;
      draining = false;
      closeDescriptor();
    },
  };
}
