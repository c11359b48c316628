import type { SessionOutputEvent } from '@gsd/core';
import type { SerializedScreen } from '@gsd/session-manager';
import type { WebSocket } from 'ws';

/** Output is gathered this long before it is sent, so a flood becomes a few large frames. */
export const WS_BATCH_MS = 5;
/**
 * A client this far behind (bytes queued in its socket, or output held for it while its snapshot is
 * taken) stops receiving output for the session until it subscribes again.
 */
export const WS_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

interface Pending {
  offset: number;
  parts: Uint8Array[];
}

interface Held {
  offset: number;
  bytes: Uint8Array;
}

/** A client following one session's output. */
interface Subscription {
  /** Output that arrived while the snapshot was taken; undefined once the snapshot is sent. */
  held: Held[] | undefined;
  heldBytes: number;
  /** Where the snapshot ends: output before it is not sent. */
  from: number;
  /** Output was dropped for this client: it gets no more until it subscribes again. */
  lagging: boolean;
}

/**
 * One WebSocket client: the sessions whose output it follows, and output waiting to be sent. Each
 * subscription starts with a snapshot of the screen, then output from exactly where it ends.
 */
export class Client {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    /** Must fix the snapshot's offset before it returns (the manager's screenSnapshot does). */
    private readonly takeSnapshot: (sessionId: string) => Promise<SerializedScreen>,
  ) {}

  send(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** (Re)starts following a session: `subscribed`, then a snapshot, then output from its offset. */
  subscribe(sessionId: string): void {
    const subscription: Subscription = { held: [], heldBytes: 0, from: 0, lagging: false };
    this.subscriptions.set(sessionId, subscription);
    // Batched output of an earlier subscription is on the new snapshot.
    this.pending.delete(sessionId);
    this.send({ type: 'subscribed', sessionId });
    this.takeSnapshot(sessionId).then(
      (screen) => this.snapshotTaken(sessionId, subscription, screen),
      (error: unknown) => {
        if (this.subscriptions.get(sessionId) !== subscription) return;
        this.subscriptions.delete(sessionId);
        const message = error instanceof Error ? error.message : String(error);
        this.send({ type: 'error', sessionId, message: `Could not read the screen: ${message}` });
      },
    );
  }

  unsubscribe(sessionId: string): void {
    this.subscriptions.delete(sessionId);
    this.pending.delete(sessionId);
  }

  queueOutput(event: SessionOutputEvent): void {
    const subscription = this.subscriptions.get(event.sessionId);
    if (subscription === undefined || subscription.lagging) return;
    const { held } = subscription;
    if (held === undefined) {
      this.queue(event.sessionId, subscription, event.offset, event.bytes);
    } else if (subscription.heldBytes + event.bytes.length > WS_MAX_BUFFERED_BYTES) {
      this.overflow(event.sessionId, subscription, held[0]?.offset ?? event.offset);
    } else {
      held.push({ offset: event.offset, bytes: event.bytes });
      subscription.heldBytes += event.bytes.length;
    }
  }

  flush(): void {
    this.timer = undefined;
    for (const [sessionId, { offset, parts }] of this.pending) {
      this.send({ type: 'output', sessionId, offset, data: Buffer.concat(parts).toString('base64') });
    }
    this.pending.clear();
  }

  close(): void {
    clearTimeout(this.timer);
    this.subscriptions.clear();
    this.pending.clear();
  }

  private snapshotTaken(sessionId: string, subscription: Subscription, screen: SerializedScreen): void {
    // Unsubscribed, subscribed again, or fallen behind while the screen was read: this one is stale.
    if (this.subscriptions.get(sessionId) !== subscription || subscription.lagging) return;
    const { offset, cols, rows, data } = screen;
    this.send({ type: 'snapshot', sessionId, offset, cols, rows, data });
    const held = subscription.held ?? [];
    subscription.held = undefined;
    subscription.heldBytes = 0;
    subscription.from = offset;
    for (const chunk of held) this.queue(sessionId, subscription, chunk.offset, chunk.bytes);
  }

  private queue(sessionId: string, subscription: Subscription, offset: number, bytes: Uint8Array): void {
    // Output the snapshot already shows is dropped; a chunk reaching past its end is cut there.
    const shown = subscription.from - offset;
    if (shown >= bytes.length) return;
    const rest = shown > 0 ? bytes.subarray(shown) : bytes;
    const start = shown > 0 ? subscription.from : offset;
    const pending = this.pending.get(sessionId);
    if (this.socket.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
      // Slow reader: stop queueing instead of buffering without limit; it can page the rest over REST.
      this.overflow(sessionId, subscription, pending?.offset ?? start);
      return;
    }
    if (pending === undefined) this.pending.set(sessionId, { offset: start, parts: [rest] });
    else pending.parts.push(rest);
    this.timer ??= setTimeout(() => this.flush(), WS_BATCH_MS);
  }

  private overflow(sessionId: string, subscription: Subscription, resumeOffset: number): void {
    subscription.lagging = true;
    subscription.held = undefined;
    subscription.heldBytes = 0;
    this.pending.delete(sessionId);
    this.send({ type: 'overflow', sessionId, resumeOffset });
  }
}
