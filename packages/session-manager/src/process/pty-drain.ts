import { readSync } from 'node:fs';
import type { IPty } from 'node-pty';

/** The parts of node-pty's UnixTerminal (1.1.x) that draining needs; not in its public types. */
interface UnixTerminalInternals {
  _fd: number;
  _socket: {
    allowHalfOpen: boolean;
    destroy(error?: Error): unknown;
    once(event: 'end', listener: () => void): unknown;
  };
}

const READ_SIZE = 64 * 1024;
const RETRY_MS = 2;

/**
 * Makes a node-pty terminal deliver every byte its process wrote before reporting exit.
 *
 * On Linux, while the terminal's session leader exits, read() on the master side can return 0 once
 * (the slave is being hung up) although output is still queued. node-pty's read stream takes that as
 * end-of-file and closes the descriptor, and its exit handler destroys the stream 200 ms after exit in
 * any case; either way the tail of the output is lost. Here the stream is kept open past that early
 * end, the descriptor is read directly until the kernel reports EIO (the slave is closed and the queue
 * is empty), and only then is the stream destroyed, which lets node-pty report exit.
 *
 * `giveUpMs` bounds the wait when a background process keeps the terminal open without writing.
 */
export function drainPtyToEof(pty: IPty, onData: (bytes: Buffer) => void, giveUpMs: number): void {
  const internals = pty as unknown as Partial<UnixTerminalInternals>;
  const socket = internals._socket;
  const fd = internals._fd;
  if (socket === undefined || typeof fd !== 'number') return;

  const destroy = socket.destroy.bind(socket);
  let draining = false;
  socket.allowHalfOpen = true;
  socket.destroy = (error?: Error) => {
    if (draining) return socket; // The drain destroys the stream itself when it reaches EIO.
    return destroy(error);
  };

  socket.once('end', () => {
    draining = true;
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    let lastProgress = Date.now();
    const finish = (): void => {
      draining = false;
      destroy();
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
      if (Date.now() - lastProgress > giveUpMs) {
        finish();
        return;
      }
      setTimeout(step, RETRY_MS);
    };
    step();
  });
}
