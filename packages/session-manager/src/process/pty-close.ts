import { readSync, writeSync } from 'node:fs';
import type { IPty } from 'node-pty';

/** The parts of node-pty's UnixTerminal (1.1.x) used here; not in its public types. */
interface UnixTerminalInternals {
  _fd: number;
  _socket: {
    allowHalfOpen: boolean;
    destroy(error?: Error): unknown;
    once(event: 'end', listener: () => void): unknown;
    isPaused(): boolean;
    resume(): unknown;
  };
}

const READ_SIZE = 64 * 1024;
const RETRY_MS = 2;
/** How long node-pty waits for the stream to end after the process exits before destroying it. */
const EXIT_WAIT_MS = 200;

/** A terminal that closes safely; its input must be written through `write`. */
export interface PtyGuard {
  /** Writes input to the terminal, queued while the terminal's input buffer is full. */
  write(data: Buffer): void;
  /** Stops reading and closes the terminal now; node-pty then reports the exit. */
  forceClose(): void;
}

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
 * node-pty also destroys the stream 200 ms after exit when it has not ended by then. A paused stream
 * (backpressure) has not read what is left: it is resumed instead, and given another 200 ms.
 *
 * Input is written here, synchronously, rather than by node-pty, whose writes run on the thread pool
 * and are retried on the descriptor number after it has closed: a write queued or in flight when the
 * descriptor closes would reach the next terminal opened, which may reuse that number. Input still
 * queued when the descriptor closes is dropped.
 */
export function guardPtyClose(pty: IPty, onData: (bytes: Buffer) => void, limits: PtyCloseLimits): PtyGuard {
  const internals = pty as unknown as Partial<UnixTerminalInternals>;
  const socket = internals._socket;
  const fd = internals._fd;
  if (socket === undefined || typeof fd !== 'number') {
    return { write: (data) => pty.write(data), forceClose: () => {} };
  }

  const destroy = socket.destroy.bind(socket);
  const closeDescriptor = (error?: Error): unknown => {
    closed = true;
    input.length = 0;
    clearTimeout(inputTimer);
    return destroy(error);
  };
  let draining = false;
  let closed = false;

  const input: Buffer[] = [];
  let inputTimer: NodeJS.Timeout | undefined;
  const writeInput = (): void => {
    inputTimer = undefined;
    while (!closed && input.length > 0) {
      const head = input[0] as Buffer;
      let written: number;
      try {
        written = writeSync(fd, head);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') {
          inputTimer = setTimeout(writeInput, RETRY_MS);
        } else {
          input.length = 0; // EIO: the terminal is closing and takes no more input.
        }
        return;
      }
      if (written >= head.length) input.shift();
      else input[0] = head.subarray(written);
    }
  };

  socket.allowHalfOpen = true;
  socket.destroy = (error?: Error) => {
    if (draining) return socket; // The drain closes the descriptor itself once it reaches EIO.
    if (error === undefined && !closed && socket.isPaused()) {
      socket.resume();
      setTimeout(() => {
        if (!closed) socket.destroy();
      }, EXIT_WAIT_MS);
      return socket;
    }
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
    write: (data) => {
      if (closed || data.length === 0) return;
      input.push(data);
      if (inputTimer === undefined) writeInput();
    },
    // Closing the descriptor makes node-pty report the exit.
    forceClose: () => {
      if (closed) return;
      draining = false;
      closeDescriptor();
    },
  };
}
