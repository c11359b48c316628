import type { ClientMessage, OutputMessage, OverflowMessage, ServerMessage, SnapshotMessage } from './types';

/** Reconnect delays: doubled after each failure, back to the first after a success. */
export const FIRST_RETRY_MS = 500;
export const MAX_RETRY_MS = 10_000;

export interface ConnectionState {
  status: 'connecting' | 'connected' | 'disconnected';
  /** When the next attempt starts (ms since epoch), while disconnected and retrying. */
  retryAt: number | null;
  /** The last attempt closed before it ever opened: the server is down or refused the token. */
  refused: boolean;
}

/** Receives one session's terminal stream. */
export interface StreamHandler {
  snapshot(message: SnapshotMessage): void;
  output(message: OutputMessage): void;
  overflow(message: OverflowMessage): void;
}

type Listener<T> = (value: T) => void;

/** The page's one WebSocket: reconnects with backoff and re-subscribes the sessions being followed. */
export class HarnessSocket {
  private socket: WebSocket | null = null;
  private running = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private current: ConnectionState = { status: 'disconnected', retryAt: null, refused: false };
  private readonly streams = new Map<string, StreamHandler>();
  private readonly messageListeners = new Set<Listener<ServerMessage>>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();

  constructor(private readonly url: () => string) {}

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.retryMs = FIRST_RETRY_MS;
    this.connect();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setState({ status: 'disconnected', retryAt: null, refused: false });
  }

  /** Skips the rest of the backoff wait. */
  retryNow(): void {
    if (!this.running || this.socket !== null) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  onMessage(listener: Listener<ServerMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: Listener<ConnectionState>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends when open; a message sent while disconnected is dropped (subscriptions are replayed on connect). */
  send(message: ClientMessage): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Streams a session's screen and output to `handler` until the returned function is called. */
  follow(sessionId: string, handler: StreamHandler): () => void {
    this.streams.set(sessionId, handler);
    this.send({ type: 'subscribe', sessionId });
    return () => {
      if (this.streams.get(sessionId) !== handler) return;
      this.streams.delete(sessionId);
      this.send({ type: 'unsubscribe', sessionId });
    };
  }

  /** Asks again for a followed session: the server answers with a fresh snapshot. */
  resubscribe(sessionId: string): void {
    if (this.streams.has(sessionId)) this.send({ type: 'subscribe', sessionId });
  }

  /** Stops a followed session's output for now, without forgetting it. */
  pause(sessionId: string): void {
    if (this.streams.has(sessionId)) this.send({ type: 'unsubscribe', sessionId });
  }

  private connect(): void {
    this.setState({ status: 'connecting', retryAt: null, refused: false });
    const socket = new WebSocket(this.url());
    let opened = false;
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.retryMs = FIRST_RETRY_MS;
      this.setState({ status: 'connected', retryAt: null, refused: false });
      for (const sessionId of this.streams.keys()) this.send({ type: 'subscribe', sessionId });
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      this.dispatch(event.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleRetry(!opened);
    };
  }

  private scheduleRetry(refused: boolean): void {
    if (!this.running) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.setState({ status: 'disconnected', retryAt: Date.now() + delay, refused });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private dispatch(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'snapshot') this.streams.get(message.sessionId)?.snapshot(message);
    else if (message.type === 'output') this.streams.get(message.sessionId)?.output(message);
    else if (message.type === 'overflow') this.streams.get(message.sessionId)?.overflow(message);
    for (const listener of this.messageListeners) listener(message);
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** `ws(s)://<this host>/ws`, with the token when the tab has one (otherwise the cookie may do). */
export function socketUrl(token: string | null): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const suffix = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return `${scheme}://${window.location.host}/ws${suffix}`;
}
