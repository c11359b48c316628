import { connect, type Socket } from 'node:net';
import { SessionError } from '../errors.js';
import type { HostAddress } from '../db/session-store.js';
import { newNonce, proofMatches, untrustedSocketReason } from './host-address.js';
import {
  encodeInput,
  encodeJson,
  FRAME_INPUT,
  FRAME_JSON,
  FRAME_OUTPUT,
  FrameDecoder,
  PROTOCOL_VERSION,
  type ClientMessage,
  type ClientRole,
  type HostExit,
  type HostMessage,
} from './protocol.js';

/** How long connecting to a host and its welcome may take. */
export const HOST_CONNECT_TIMEOUT_MS = 2_000;

/** How long `close` waits for the host to close its side. */
const CLOSE_WAIT_MS = 1_000;

export type Welcome = Extract<HostMessage, { type: 'welcome' }>;

export interface HostConnectionEvents {
  /** Output from `offset` on, contiguous from the welcome's `outputBytes`. */
  onOutput(offset: number, bytes: Buffer): void;
  onResized(cols: number, rows: number): void;
  /** Keys another client (an attached terminal) typed into the session; sent to the controller only. */
  onTyped?(bytes: Buffer): void;
  /** The host recorded the session's end. */
  onExit(exit: HostExit): void;
  /** The connection closed without an exit (the host died, or `close` was called). */
  onClose(reason: string): void;
  /** The host reported a problem with a request. */
  onError?(code: string, message: string): void;
}

/**
 * A verified connection to a session host. Frames that arrive before `start` are held, so a caller
 * can read the stored output up to the welcome's offset first and then miss nothing.
 */
export class HostConnection {
  private events: HostConnectionEvents | null = null;
  private held: (() => void)[] = [];
  private closed = false;
  private exited = false;

  private constructor(
    private readonly socket: Socket,
    readonly welcome: Welcome,
    decoder: FrameDecoder,
  ) {
    const onData = (chunk: Buffer): void => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      for (const frame of frames) {
        if (frame.kind === FRAME_OUTPUT) this.dispatch((e) => e.onOutput(frame.offset, frame.bytes));
        else if (frame.kind === FRAME_JSON) this.handleMessage(frame.message as HostMessage);
        else if (frame.kind === FRAME_INPUT) this.dispatch((e) => e.onTyped?.(frame.bytes));
      }
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    socket.once('close', () => {
      this.closed = true;
      if (!this.exited) this.dispatch((e) => e.onClose('the session host closed the connection'));
    });
    // Frames that came in the same read as the welcome.
    onData(Buffer.alloc(0));
  }

  /**
   * Connects to the host at `address` as `role` and checks it is the host of `sessionId`: the socket
   * file must be this user's and private, and the host must prove it knows the session's secret.
   */
  static async open(
    address: HostAddress,
    sessionId: string,
    role: ClientRole,
    timeoutMs = HOST_CONNECT_TIMEOUT_MS,
  ): Promise<HostConnection> {
    const untrusted = untrustedSocketReason(address.socketPath);
    if (untrusted !== null) {
      throw new SessionError(
        untrusted.startsWith('no socket') ? 'HOST_UNREACHABLE' : 'HOST_UNTRUSTED',
        `Session ${sessionId}: ${untrusted}`,
      );
    }
    const nonce = newNonce();
    const socket = connect(address.socketPath);
    const decoder = new FrameDecoder();
    return new Promise<HostConnection>((resolve, reject) => {
      let done = false;
      const finish = (error: SessionError | null, welcome?: Welcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onEarlyClose);
        if (error !== null) {
          socket.destroy();
          reject(error);
          return;
        }
        resolve(new HostConnection(socket, welcome as Welcome, decoder));
      };
      const timer = setTimeout(
        () =>
          finish(
            new SessionError(
              'HOST_UNREACHABLE',
              `Session ${sessionId}: its host did not answer within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
      const onError = (error: Error): void =>
        finish(
          new SessionError(
            'HOST_UNREACHABLE',
            `Session ${sessionId}: cannot reach its host (${(error as NodeJS.ErrnoException).code ?? error.message})`,
            { cause: error },
          ),
        );
      const onEarlyClose = (): void =>
        finish(new SessionError('HOST_UNREACHABLE', `Session ${sessionId}: its host closed the connection`));
      // Only the welcome is read here; frames after it in the same chunk stay in the decoder.
      const onData = (chunk: Buffer): void => {
        let frames;
        try {
          frames = decoder.push(chunk, 1);
        } catch {
          finish(untrustedError(sessionId, 'it does not speak the session host protocol'));
          return;
        }
        const first = frames[0];
        if (first === undefined) return;
        const message = (first.kind === FRAME_JSON ? first.message : null) as HostMessage | null;
        if (message?.type === 'error') {
          finish(
            new SessionError(
              message.code === 'BUSY' ? 'SESSION_NOT_OWNED' : 'HOST_UNREACHABLE',
              `Session ${sessionId}: ${message.message}`,
            ),
          );
          return;
        }
        if (
          message?.type !== 'welcome' ||
          message.sessionId !== sessionId ||
          !proofMatches(address.secret, nonce, sessionId, message.proof)
        ) {
          finish(untrustedError(sessionId, 'the process listening there could not prove it is its host'));
          return;
        }
        finish(null, message);
      };
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onEarlyClose);
      socket.once('connect', () => {
        const hello: ClientMessage = {
          type: 'hello',
          version: PROTOCOL_VERSION,
          role,
          nonce,
          pid: process.pid,
        };
        socket.write(encodeJson(hello));
      });
    });
  }

  /** Starts delivering what the host sends (frames held until now first). */
  start(events: HostConnectionEvents): void {
    this.events = events;
    const held = this.held;
    this.held = [];
    for (const deliver of held) deliver();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(bytes: Uint8Array): void {
    if (!this.closed && bytes.length > 0) this.socket.write(encodeInput(bytes));
  }

  send(message: ClientMessage): void {
    if (!this.closed) this.socket.write(encodeJson(message));
  }

  /** Stops reading from the host; the host then pauses the session once its queue fills. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /**
   * Closes the connection; the session keeps running under its host. Resolves once the host has
   * seen it close (so that another harness can attach at once), or after CLOSE_WAIT_MS.
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, CLOSE_WAIT_MS);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    });
  }

  private handleMessage(message: HostMessage): void {
    switch (message?.type) {
      case 'exit':
        this.exited = true;
        this.dispatch((e) => e.onExit(message.exit));
        return;
      case 'resized':
        this.dispatch((e) => e.onResized(message.cols, message.rows));
        return;
      case 'error':
        this.dispatch((e) => e.onError?.(message.code, message.message));
        return;
      default:
    }
  }

  private dispatch(deliver: (events: HostConnectionEvents) => void): void {
    if (this.events === null) this.held.push(() => deliver(this.events as HostConnectionEvents));
    else deliver(this.events);
  }
}

function untrustedError(sessionId: string, why: string): SessionError {
  return new SessionError('HOST_UNTRUSTED', `Session ${sessionId}: not trusted as its host: ${why}`);
}
