import type { Terminal } from '@xterm/xterm';
import { decodeBase64 } from '../api/base64';
import type { HarnessSocket, StreamHandler } from '../api/socket';
import type { OutputMessage, SnapshotMessage } from '../api/types';

/** Bytes handed to xterm but not yet parsed; past this the feed stops output and catches up from a snapshot. */
export const HIGH_WATERMARK_BYTES = 2 * 1024 * 1024;

export interface LiveFeedOptions {
  /** Called once a snapshot has been parsed into the terminal (it may resize the terminal). */
  afterSnapshot?: (snapshot: SnapshotMessage) => void;
}

/**
 * Writes one session's WebSocket stream straight into a terminal: the snapshot, then output in offset order.
 * Nothing is kept: when the terminal falls behind, output is dropped and a fresh snapshot replaces it.
 */
export class LiveFeed implements StreamHandler {
  /** Offset the next output byte must have; null while no snapshot is in place (output is dropped). */
  private nextOffset: number | null = null;
  /** Bytes written to the terminal and not yet parsed. */
  private queuedBytes = 0;
  /** A snapshot waiting for older writes to finish, and the output that followed it meanwhile. */
  private pending: { snapshot: SnapshotMessage; held: OutputMessage[]; heldBytes: number } | null = null;
  private catchingUp = false;
  private disposed = false;
  private readonly unfollow: () => void;

  constructor(
    private readonly socket: HarnessSocket,
    private readonly sessionId: string,
    private readonly terminal: Terminal,
    private readonly options: LiveFeedOptions = {},
  ) {
    this.unfollow = socket.follow(sessionId, this);
  }

  snapshot(message: SnapshotMessage): void {
    if (this.disposed) return;
    this.catchingUp = false;
    this.nextOffset = null;
    this.pending = { snapshot: message, held: [], heldBytes: 0 };
    if (this.queuedBytes === 0) {
      this.apply(message);
      return;
    }
    // reset() acts at once while writes already queued would still land after it: let them finish first.
    this.terminal.write('', () => queueMicrotask(() => this.apply(message)));
  }

  output(message: OutputMessage): void {
    if (this.disposed) return;
    const pending = this.pending;
    if (pending !== null) {
      pending.held.push(message);
      pending.heldBytes += message.data.length;
      if (pending.heldBytes > HIGH_WATERMARK_BYTES) this.catchUp(true);
      return;
    }
    if (this.nextOffset === null) return;
    if (message.offset > this.nextOffset) {
      // A gap: bytes were lost on the way, so the screen can only be trusted again from a snapshot.
      this.catchUp(true);
      return;
    }
    let bytes = decodeBase64(message.data);
    const end = message.offset + bytes.length;
    if (end <= this.nextOffset) return;
    if (message.offset < this.nextOffset) bytes = bytes.subarray(this.nextOffset - message.offset);
    this.nextOffset = end;
    this.write(bytes, bytes.length);
    if (this.queuedBytes > HIGH_WATERMARK_BYTES) this.catchUp(true);
  }

  overflow(): void {
    if (!this.disposed) this.catchUp(false);
  }

  dispose(): void {
    this.disposed = true;
    this.pending = null;
    this.unfollow();
  }

  private apply(snapshot: SnapshotMessage): void {
    const pending = this.pending;
    if (this.disposed || pending === null || pending.snapshot !== snapshot) return;
    this.pending = null;
    this.terminal.reset();
    if (snapshot.cols > 0 && snapshot.rows > 0) this.terminal.resize(snapshot.cols, snapshot.rows);
    this.nextOffset = snapshot.offset;
    this.write(snapshot.data, snapshot.data.length, () => {
      if (!this.disposed) this.options.afterSnapshot?.(snapshot);
    });
    for (const message of pending.held) this.output(message);
  }

  private write(data: string | Uint8Array, size: number, then?: () => void): void {
    this.queuedBytes += size;
    this.terminal.write(data, () => {
      this.queuedBytes -= size;
      // Leave xterm's write loop before anything that may resize the terminal.
      if (then !== undefined) queueMicrotask(then);
    });
  }

  /** Drops output until the terminal has parsed what it holds, then asks for a fresh snapshot. */
  private catchUp(pause: boolean): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    this.nextOffset = null;
    this.pending = null;
    if (pause) this.socket.pause(this.sessionId);
    this.terminal.write('', () => {
      if (!this.disposed) this.socket.resubscribe(this.sessionId);
    });
  }
}
