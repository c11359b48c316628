import { randomUUID } from 'node:crypto';
import { detectCheckpoint, LIVE_STATUSES } from '@gsd/core';
import type {
  CheckpointDetails,
  CheckpointRecord,
  PersistentSessionEventMap,
  Responder,
  RecoveryResult,
  Session,
  SessionCompletedEvent,
  SessionFailedEvent,
  SessionStatus,
} from '@gsd/core';
import { CheckpointWatcher, DEFAULT_QUIET_MS } from './checkpoint/checkpoint-watcher.js';
import {
  answersCheckpoint,
  typeKeys,
  typedAnswer,
  TYPING_IDLE_MS,
  withoutTypedLine,
} from './checkpoint/typed-answer.js';
import { composeInput } from './compose-input.js';
import { CheckpointStore } from './db/checkpoint-store.js';
import { DatabaseConnection } from './db/database.js';
import { OutputStore, type OutputSlice } from './db/output-store.js';
import { OutputWriter } from './db/output-writer.js';
import { OwnerStore } from './db/owner-store.js';
import { SessionStore, type HostAddress, type ListSessionsOptions } from './db/session-store.js';
import { isSessionError, SessionError } from './errors.js';
import { defaultHostDir, ensureHostDir, hostSocketPath, newHostSecret } from './host/host-address.js';
import { hostChild } from './host/host-child.js';
import { HostConnection } from './host/host-connection.js';
import type { HostSpec } from './host/host-spec.js';
import { LaunchedHost, removeStaleStartingLogs } from './host/spawn-host.js';
import { terminateThroughHost } from './host/terminate-through-host.js';
import { SCREEN_REPLAY_BYTES } from './output/output-window.js';
import { recoverOrphanedSessions } from './recovery.js';
import { rebuildScreen, type SerializedScreen } from './screen/screen-mirror.js';
import {
  DEFAULT_COLS,
  DEFAULT_DRAIN_IDLE_MS,
  DEFAULT_DRAIN_MAX_MS,
  DEFAULT_ROWS,
  DEFAULT_TERMINATE_GRACE_MS,
  SessionManager,
  type SessionManagerOptions,
  type SpawnOptions,
} from './session-manager.js';
import { TypedEmitter } from './typed-emitter.js';
import { validateCommand, validateDimension, validateEnv, validateWorkingDir } from './validate.js';
import { waitForChange, type WaitOptions, type WaitResult } from './wait-for-change.js';

/** Retry delays for writing a session's end after the database refused it. */
const FINAL_RETRY_MIN_MS = 250;
const FINAL_RETRY_MAX_MS = 5_000;

export interface PersistentSessionManagerOptions extends SessionManagerOptions {
  /** SQLite file; defaults to `$GSD_HARNESS_DB` or `~/.gsd-harness/sessions.db`. */
  dbPath?: string;
  /** Mark sessions orphaned by a dead harness as failed on construction (default true). */
  autoRecover?: boolean;
  /** How long output may wait in memory before it is written (default 50 ms). */
  flushIntervalMs?: number;
  /** Buffered output that forces an immediate write (default 1 MiB). */
  maxPendingBytes?: number;
  /** How long output must be quiet before the screen is checked for a checkpoint (default 1500 ms). */
  checkpointQuietMs?: number;
  /** Mirror each session's screen and detect checkpoints (default true). */
  detectCheckpoints?: boolean;
  /** Start sessions under a session host unless `spawn` says otherwise (default false). */
  durableByDefault?: boolean;
  /**
   * On start, take over the durable sessions whose host answers and no other harness holds (default
   * false: they are left running alone). The harness server sets it.
   */
  reattach?: boolean;
  /** Where session hosts listen (default `hosts/` in the harness home). */
  hostDir?: string;
}

export type ListOptions = ListSessionsOptions;

/** Folds ASCII letters only, as SQLite's LIKE does, so live and stored sessions filter alike. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function matchesFilters(session: Session, options: ListOptions, statuses: readonly SessionStatus[]): boolean {
  const contains = (text: string, part: string | undefined): boolean =>
    part === undefined || foldAscii(text).includes(foldAscii(part));
  return (
    (statuses.length === 0 || statuses.includes(session.status)) &&
    contains(session.workingDir, options.workingDirContains) &&
    contains(session.command, options.commandContains) &&
    (options.startedBefore === undefined || session.startedAt < options.startedBefore)
  );
}

/**
 * A SessionManager whose sessions and output are recorded in SQLite as they happen. Live sessions are
 * answered from memory; ended ones from the database. Completion events are emitted only after the
 * session's last byte and final status are committed.
 */
export class PersistentSessionManager extends TypedEmitter<PersistentSessionEventMap> {
  readonly connection: DatabaseConnection;
  readonly sessionStore: SessionStore;
  readonly outputStore: OutputStore;
  readonly ownerStore: OwnerStore;
  readonly checkpointStore: CheckpointStore;
  /** Identifies this manager as the owner of the sessions it starts. */
  readonly ownerId: string;
  /** Resolves with the startup recovery result (null when `autoRecover` is false). */
  readonly ready: Promise<RecoveryResult | null>;
  private readonly inner: SessionManager;
  private readonly writer: OutputWriter;
  private readonly watcher: CheckpointWatcher;
  private readonly detectCheckpoints: boolean;
  private closing: Promise<void> | undefined;
  private readonly spawning = new Set<Promise<unknown>>();
  /** Ended sessions whose final record could not be written yet, retried until it is. */
  private readonly unfinished = new Map<string, SessionCompletedEvent | SessionFailedEvent>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = FINAL_RETRY_MIN_MS;
  /** Callers of waitForEnd, resolved when the session's end is recorded. */
  /** Pending waits, ended when the manager closes. */
  private readonly closeListeners = new Set<() => void>();
  private readonly endWaiters = new Map<string, ((session: Session) => void)[]>();
  private readonly durableByDefault: boolean;
  private readonly hostDir: string;
  private readonly hostTiming: { terminateGraceMs: number; drainIdleMs: number; drainMaxMs: number };
  private readonly flushTiming: { flushIntervalMs?: number; maxPendingBytes?: number };
  /** Connections to the hosts of this manager's durable sessions. */
  private readonly hosts = new Map<string, HostConnection>();
  /** Every durable session this manager has held: their output is never written here. */
  private readonly durable = new Set<string>();
  /** Durable sessions let go of at close: their hosts keep them running. */
  private readonly released = new Set<string>();
  /** A session host started ahead of time for the next durable session. */
  private spareHost: LaunchedHost | null = null;
  /** Answers being typed key by key: the checkpoint each answers and the line so far. */
  private readonly typing = new Map<string, { checkpoint: CheckpointRecord; line: string; at: number }>();
  /** Whether logs of hosts killed while they waited have been looked for (once per manager). */
  private staleLogsRemoved = false;

  constructor(options: PersistentSessionManagerOptions = {}) {
    super();
    this.ownerId = randomUUID();
    // Validates the options before anything is opened.
    this.inner = new SessionManager({ ...options, ownerId: this.ownerId });
    this.connection = new DatabaseConnection(options.dbPath);
    let recovery: RecoveryResult | null = null;
    try {
      this.sessionStore = new SessionStore(this.connection);
      this.outputStore = new OutputStore(this.connection);
      this.ownerStore = new OwnerStore(this.connection);
      this.checkpointStore = new CheckpointStore(this.connection);
      if (options.autoRecover !== false) {
        recovery = recoverOrphanedSessions(this.sessionStore, { ownerStore: this.ownerStore });
      }
      this.ownerStore.register(this.ownerId);
    } catch (error) {
      this.connection.close();
      throw error;
    }
    this.writer = new OutputWriter(this.outputStore, {
      flushIntervalMs: options.flushIntervalMs,
      maxPendingBytes: options.maxPendingBytes,
      onError: (error) => this.reportStorageError(error),
    });
    this.detectCheckpoints = options.detectCheckpoints !== false;
    this.watcher = new CheckpointWatcher(options.checkpointQuietMs ?? DEFAULT_QUIET_MS, {
      onWaiting: (id, details) => this.markWaiting(id, details),
      onResumed: (id) => this.markResumed(id),
      isAnswering: (id, screen, details) => this.isAnswering(id, screen, details),
    });
    this.durableByDefault = options.durableByDefault === true;
    this.hostDir = options.hostDir ?? defaultHostDir();
    this.hostTiming = {
      terminateGraceMs: options.terminateGraceMs ?? DEFAULT_TERMINATE_GRACE_MS,
      drainIdleMs: options.drainIdleMs ?? DEFAULT_DRAIN_IDLE_MS,
      drainMaxMs: options.drainMaxMs ?? DEFAULT_DRAIN_MAX_MS,
    };
    this.flushTiming = { flushIntervalMs: options.flushIntervalMs, maxPendingBytes: options.maxPendingBytes };
    this.wire();

    const reattach = options.reattach === true && recovery !== null;
    this.ready = reattach ? this.reattachHosts(recovery as RecoveryResult) : Promise.resolve(recovery);
    // Emitted once re-attaching is done, and never in this tick, so that listeners attached right
    // after construction receive it.
    void this.ready.then((result) => {
      if (result === null) return;
      process.nextTick(() => this.emitSafely('recovery:complete', result));
    });
  }

  get maxSessions(): number {
    return this.inner.maxSessions;
  }

  /** Sessions currently holding a slot. */
  get activeCount(): number {
    return this.inner.activeCount;
  }

  /** Output rows written by this manager (chunks are batched into fewer, larger rows). */
  get outputRowsWritten(): number {
    return this.writer.rowCount;
  }

  async spawn(workingDir: string, command: string, options?: SpawnOptions): Promise<Session> {
    if (this.closing !== undefined) {
      throw new SessionError('MANAGER_CLOSED', 'The session manager is closed');
    }
    const durable = options?.durable ?? this.durableByDefault;
    const spawned = durable
      ? this.spawnDurable(workingDir, command, options ?? {})
      : this.inner.spawn(workingDir, command, options);
    this.spawning.add(spawned);
    try {
      return await spawned;
    } finally {
      this.spawning.delete(spawned);
    }
  }

  async terminate(sessionId: string): Promise<Session> {
    if (this.inner.getSession(sessionId) !== undefined) return this.inner.terminate(sessionId);
    const stored = this.requireStored(sessionId);
    const address = stored.endedAt === null ? this.sessionStore.hostAddress(sessionId) : undefined;
    if (address !== undefined && this.ownerStore.isAlive(stored.ownerId)) {
      // A durable session this manager does not hold: its host ends it and records the end.
      await terminateThroughHost(address, sessionId);
      return this.requireStored(sessionId);
    }
    this.assertNotOwnedElsewhere(stored, 'end');
    return stored;
  }

  /**
   * Writes `text` to the session's input exactly as given. Input to a session waiting at a checkpoint
   * that types something or presses Enter answers it: the answer is recorded (with `responder`, when
   * known) and the session counts as running.
   */
  sendInput(sessionId: string, text: string | Uint8Array, responder: Responder | null = null): void {
    if (this.inner.getSession(sessionId) !== undefined) {
      this.inner.sendInput(sessionId, text);
      this.noteInput(
        sessionId,
        typeof text === 'string' ? text : Buffer.from(text).toString('utf8'),
        responder,
      );
      return;
    }
    const stored = this.requireStored(sessionId);
    this.assertNotOwnedElsewhere(stored, 'send input to');
    throw new SessionError(
      'SESSION_ENDED',
      `Session ${sessionId} has ended (${stored.status}); it no longer accepts input`,
    );
  }

  /**
   * Types `input` into the session, then one Enter when `enter` is set (a carriage return on a PTY, a
   * newline on a pipe). Returns the bytes written.
   */
  type(sessionId: string, input: string, enter: boolean, responder: Responder | null = null): string {
    const mode = this.getSession(sessionId)?.mode ?? 'pty';
    const text = composeInput(input, enter, mode);
    this.sendInput(sessionId, text, responder);
    return text;
  }

  /** Closes the session's input: end-of-file on a pipe, Ctrl-D on a terminal. */
  endInput(sessionId: string): void {
    if (this.inner.getSession(sessionId) === undefined) this.requireStored(sessionId);
    else this.inner.endInput(sessionId);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    if (this.inner.getSession(sessionId) === undefined) {
      this.requireStored(sessionId);
      return;
    }
    this.inner.resize(sessionId, cols, rows);
    this.watcher.resize(sessionId, cols, rows);
    const session = this.inner.getSession(sessionId);
    if (session !== undefined)
      this.sessionStore.update(sessionId, { cols: session.cols, rows: session.rows });
  }

  getSession(sessionId: string): Session | undefined {
    return this.inner.getSession(sessionId) ?? this.sessionStore.get(sessionId);
  }

  /** Live sessions of this manager merged with stored ones, newest first, filtered as in SessionStore.list. */
  listSessions(options: ListOptions = {}): Session[] {
    // No statuses means no filter, as in SessionStore.list.
    const statuses: readonly SessionStatus[] =
      options.status === undefined ? [] : Array.isArray(options.status) ? options.status : [options.status];
    const merged = new Map<string, Session>();
    for (const session of this.sessionStore.list(options)) merged.set(session.id, session);
    for (const session of this.inner.listSessions()) {
      if (matchesFilters(session, options, statuses)) merged.set(session.id, session);
    }
    const sorted = [...merged.values()].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    return options.limit === undefined ? sorted : sorted.slice(0, options.limit);
  }

  getHistoricalSessions(limit?: number): Session[] {
    return this.sessionStore.list({ limit });
  }

  /** Everything the session printed, byte for byte (use `tailOutput`/`readOutput` for long histories). */
  getOutput(sessionId: string): Buffer {
    this.requireKnown(sessionId);
    this.writer.flush();
    return this.outputStore.getFullOutput(sessionId);
  }

  tailOutput(sessionId: string, bytes: number): OutputSlice {
    this.requireKnown(sessionId);
    this.writer.flush();
    return this.outputStore.tail(sessionId, bytes);
  }

  readOutput(sessionId: string, fromOffset: number, maxBytes: number): OutputSlice {
    this.requireKnown(sessionId);
    this.writer.flush();
    return this.outputStore.read(sessionId, fromOffset, maxBytes);
  }

  /** Resolves with the final session once its end is recorded (at once for an ended session). */
  async waitForEnd(sessionId: string): Promise<Session> {
    if (this.inner.getSession(sessionId) === undefined) return this.requireStored(sessionId);
    return new Promise((resolve) => {
      const waiters = this.endWaiters.get(sessionId) ?? [];
      waiters.push(resolve);
      this.endWaiters.set(sessionId, waiters);
    });
  }

  /** Stops reading a session's output until `resume` (its process blocks when its buffer fills). */
  pause(sessionId: string): void {
    if (this.inner.getSession(sessionId) === undefined) this.requireStored(sessionId);
    else this.inner.pause(sessionId);
  }

  resume(sessionId: string): void {
    if (this.inner.getSession(sessionId) === undefined) this.requireStored(sessionId);
    else this.inner.resume(sessionId);
  }

  /** The session's most recent checkpoint (answered or not), or undefined if it never reached one. */
  getCheckpoint(sessionId: string): CheckpointRecord | undefined {
    this.requireKnown(sessionId);
    return this.checkpointStore.latest(sessionId);
  }

  /**
   * Answers the checkpoint a session waits at: writes `response` and exactly one Enter, and records
   * who answered. A session that is not waiting gets an error, never a stray write.
   */
  respondToCheckpoint(sessionId: string, response: string, responder: Responder): CheckpointRecord {
    const session = this.getSession(sessionId);
    if (session === undefined) {
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
    }
    if (this.inner.getSession(sessionId) === undefined) this.assertNotOwnedElsewhere(session, 'answer');
    const checkpoint = this.checkpointStore.latest(sessionId);
    if (session.status !== 'waiting_checkpoint' || checkpoint === undefined || checkpoint.response !== null) {
      throw new SessionError(
        'NOT_WAITING',
        `Session ${sessionId} is not waiting at a checkpoint (status: ${session.status}); nothing was sent`,
      );
    }
    this.type(sessionId, response, true, responder);
    return this.checkpointStore.get(checkpoint.id) as CheckpointRecord;
  }

  /** What the session's terminal shows now, for a live session of this manager. */
  liveScreen(sessionId: string, lines?: number): Promise<string | undefined> {
    return this.watcher.screenText(sessionId, lines);
  }

  /**
   * The session's screen and scrollback as ANSI text, with the output offset it covers (output after
   * it starts there). From the live mirror when this manager has one; otherwise (an ended session, a
   * session of another harness process, or checkpoint detection off) rebuilt from the stored output.
   */
  async screenSnapshot(sessionId: string): Promise<SerializedScreen> {
    if (this.getSession(sessionId) === undefined) {
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
    }
    const live = await this.watcher.snapshot(sessionId);
    if (live !== undefined) return live;
    // Read again: the session may have ended while the mirror was read.
    const session = this.getSession(sessionId);
    if (session === undefined) {
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
    }
    const tail = this.tailOutput(sessionId, SCREEN_REPLAY_BYTES);
    return rebuildScreen(
      tail.data,
      session.cols ?? DEFAULT_COLS,
      session.rows ?? DEFAULT_ROWS,
      tail.totalBytes,
      { convertEol: session.mode === 'pipe' },
    );
  }

  /**
   * Resolves when a watched session changes status (ends, or starts or stops waiting), or at the
   * timeout. Sessions of other harness processes on the same database are watched too.
   */
  waitForChange(options: WaitOptions = {}): Promise<WaitResult> {
    return waitForChange(
      {
        getSession: (id) => this.getSession(id),
        liveSessions: () => this.listSessions({ status: ['idle', 'running', 'waiting_checkpoint'] }),
        onStatusChange: (listener) => {
          const off = [
            this.subscribe('session:completed', listener),
            this.subscribe('session:failed', listener),
            this.subscribe('session:waiting', listener),
            this.subscribe('session:resumed', listener),
          ];
          return () => off.forEach((dispose) => dispose());
        },
        onClose: (listener) => {
          this.closeListeners.add(listener);
          return () => this.closeListeners.delete(listener);
        },
      },
      options,
    );
  }

  /** Terminates this manager's live sessions, writes what is buffered and closes the database. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const listener of [...this.closeListeners]) listener();
      await Promise.allSettled([...this.spawning]);
      this.spareHost?.dispose();
      this.spareHost = null;
      await this.releaseDurable();
      await this.inner.terminateAll();
      clearTimeout(this.retryTimer);
      this.watcher.dispose();
      this.retryUnfinished();
      // Whatever still cannot be written is reported; nobody is left waiting for it.
      for (const event of this.unfinished.values()) this.announceEnd(event);
      this.unfinished.clear();
      try {
        this.writer.close();
        this.ownerStore.markClosed(this.ownerId);
      } catch (error) {
        this.reportStorageError(error);
      }
      this.connection.close();
    })();
    return this.closing;
  }

  private wire(): void {
    this.inner.on('session:started', (event) => {
      // A store failure here propagates: spawn() then kills the process and rejects.
      this.sessionStore.create(event.session);
      if (this.detectCheckpoints) {
        this.watcher.track(
          event.session.id,
          event.session.cols ?? DEFAULT_COLS,
          event.session.rows ?? DEFAULT_ROWS,
          { convertEol: event.session.mode === 'pipe' },
        );
      }
      this.emitSafely('session:started', event);
    });
    this.inner.on('session:output', (event) => {
      // A durable session's host stores its output itself.
      if (!this.durable.has(event.sessionId)) this.writer.push(event);
      this.watcher.output(event.sessionId, event.bytes);
      this.emitSafely('session:output', event);
    });
    this.inner.on('session:completed', (event) => this.finish(event));
    this.inner.on('session:failed', (event) => this.finish(event));
  }

  /**
   * Records a session's end: its remaining output first, then its final status. The end is announced
   * only once both are committed; until then it is retried, and the session stays in memory.
   */
  private finish(event: SessionCompletedEvent | SessionFailedEvent): void {
    this.watcher.untrack(event.session.id);
    this.typing.delete(event.session.id);
    if (this.writeEnd(event)) {
      this.announceEnd(event);
      return;
    }
    this.unfinished.set(event.session.id, event);
    this.scheduleRetry();
  }

  private writeEnd(event: SessionCompletedEvent | SessionFailedEvent): boolean {
    const { session } = event;
    try {
      if (this.hosts.has(session.id) && this.adoptHostEnd(event)) return true;
      this.writer.flush();
      this.sessionStore.update(session.id, {
        status: session.status,
        endedAt: session.endedAt,
        exitCode: session.exitCode,
        signal: session.signal,
        failureReason: session.failureReason,
        outputBytes: session.outputBytes,
      });
      return true;
    } catch (error) {
      this.reportStorageError(error);
      return false;
    }
  }

  private announceEnd(event: SessionCompletedEvent | SessionFailedEvent): void {
    const { session } = event;
    this.inner.forget(session.id);
    this.hosts.delete(session.id);
    if (event.type === 'session:completed') this.emitSafely('session:completed', event);
    else this.emitSafely('session:failed', event);
    const waiters = this.endWaiters.get(session.id) ?? [];
    this.endWaiters.delete(session.id);
    for (const resolve of waiters) resolve({ ...session });
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closing !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryUnfinished();
      if (this.unfinished.size > 0) {
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, FINAL_RETRY_MAX_MS);
        this.scheduleRetry();
      } else {
        this.retryDelayMs = FINAL_RETRY_MIN_MS;
      }
    }, this.retryDelayMs);
  }

  private retryUnfinished(): void {
    for (const [id, event] of this.unfinished) {
      if (!this.writeEnd(event)) return;
      this.unfinished.delete(id);
      this.announceEnd(event);
    }
  }

  private markWaiting(sessionId: string, details: CheckpointDetails): void {
    this.typing.delete(sessionId);
    const session = this.inner.setWaiting(sessionId, true);
    if (session === undefined) return;
    let checkpoint: CheckpointRecord;
    try {
      checkpoint = this.connection.transaction(() => {
        this.sessionStore.update(sessionId, { status: 'waiting_checkpoint' }, LIVE_STATUSES);
        return this.checkpointStore.create(sessionId, details);
      });
    } catch (error) {
      this.inner.setWaiting(sessionId, false);
      this.reportStorageError(error);
      return;
    }
    this.emitSafely('session:waiting', { type: 'session:waiting', session, checkpoint });
  }

  /**
   * Input reached a session (from this manager, or typed into an attached terminal). Input to a
   * session waiting at a checkpoint answers it. A whole answer (one with Enter) is recorded as sent;
   * keys typed one by one are recorded as the line they make, until Enter, the next checkpoint, the
   * session's end, or TYPING_IDLE_MS without a key.
   */
  private noteInput(sessionId: string, text: string, responder: Responder | null): void {
    if (this.watcher.isWaiting(sessionId) && answersCheckpoint(text)) {
      this.watcher.answered(sessionId);
      this.typing.delete(sessionId);
      const typed = typedAnswer(text);
      const checkpoint = this.recordAnswer(sessionId, typed.line, responder);
      if (checkpoint !== null && !typed.complete) {
        this.typing.set(sessionId, { checkpoint, line: typed.line, at: Date.now() });
      }
      this.markResumed(sessionId);
      return;
    }
    const typing = this.typing.get(sessionId);
    if (typing === undefined) return;
    if (Date.now() - typing.at > TYPING_IDLE_MS) {
      this.typing.delete(sessionId);
      return;
    }
    const typed = typeKeys(typing.line, text);
    const changed = typed.line !== typing.line;
    if (typed.complete) this.typing.delete(sessionId);
    else Object.assign(typing, { line: typed.line, at: Date.now() });
    if (!changed) return;
    try {
      this.checkpointStore.amendResponse(typing.checkpoint.id, typed.line);
    } catch (error) {
      this.reportStorageError(error);
    }
  }

  /**
   * Output went quiet while an answer may still be typed: it still is if the screen shows the same
   * checkpoint and a key came lately. Otherwise (the agent moved on, or the person stopped typing) the
   * answer is as recorded.
   */
  private isAnswering(sessionId: string, screen: string, details: CheckpointDetails | null): boolean {
    const typing = this.typing.get(sessionId);
    if (typing === undefined) return false;
    if (Date.now() - typing.at <= TYPING_IDLE_MS) {
      // The terminal echoes what is typed below the checkpoint; read the screen without it.
      const shown = details ?? detectCheckpoint(withoutTypedLine(screen, typing.line));
      if (shown !== null && JSON.stringify(shown) === JSON.stringify(typing.checkpoint.details)) return true;
    }
    this.typing.delete(sessionId);
    return false;
  }

  /** Records the answer to the session's open checkpoint; returns the checkpoint, if it had one. */
  private recordAnswer(
    sessionId: string,
    response: string,
    responder: Responder | null,
  ): CheckpointRecord | null {
    try {
      const checkpoint = this.checkpointStore.latest(sessionId);
      if (checkpoint !== undefined && checkpoint.response === null) {
        this.checkpointStore.respond(checkpoint.id, response, responder);
        return checkpoint;
      }
    } catch (error) {
      this.reportStorageError(error);
    }
    return null;
  }

  private markResumed(sessionId: string): void {
    const session = this.inner.setWaiting(sessionId, false);
    if (session === undefined) return;
    try {
      this.sessionStore.update(sessionId, { status: 'running' }, LIVE_STATUSES);
    } catch (error) {
      this.reportStorageError(error);
    }
    this.emitSafely('session:resumed', { type: 'session:resumed', session });
  }

  /** Starts a session under a new session host, then attaches to it as its controller. */
  private async spawnDurable(workingDir: string, command: string, options: SpawnOptions): Promise<Session> {
    const cwd = validateWorkingDir(workingDir);
    validateCommand(command);
    const env = validateEnv(options.env);
    const pty = options.pty === true;
    const cols = validateDimension('cols', options.cols, DEFAULT_COLS);
    const rows = validateDimension('rows', options.rows, DEFAULT_ROWS);
    if (this.connection.path === ':memory:') {
      throw new SessionError(
        'INVALID_ARGUMENT',
        'Durable sessions need a database file that their host can open, not :memory:',
      );
    }
    const slot = this.inner.claimSlot();
    let adopted = false;
    try {
      ensureHostDir(this.hostDir);
      const sessionId = randomUUID();
      const address: HostAddress = {
        socketPath: hostSocketPath(this.hostDir, sessionId),
        secret: newHostSecret(),
      };
      await this.startHost({
        sessionId,
        dbPath: this.connection.path,
        socketPath: address.socketPath,
        secret: address.secret,
        workingDir: cwd,
        command,
        pty,
        cols,
        rows,
        env: pty ? { TERM: 'xterm-256color', ...env } : env,
        slot,
        agentSessionId: options.agentSessionId,
        resumedFrom: options.resumedFrom,
        ...this.hostTiming,
        ...this.flushTiming,
      });
      this.prepareSpareHost();
      let session: Session;
      try {
        session = await this.attachHost(sessionId, address, slot);
        adopted = true;
      } catch (error) {
        // A session that ends at once may be over before its host is reached: its end is stored.
        const stored = this.sessionStore.get(sessionId);
        if (stored === undefined || stored.endedAt === null) throw error;
        this.inner.releaseSlot(slot);
        adopted = true;
        this.emitSafely('session:started', { type: 'session:started', session: stored });
        const ended =
          stored.status === 'completed'
            ? ({ type: 'session:completed', session: stored } as const)
            : ({
                type: 'session:failed',
                session: stored,
                reason: stored.failureReason ?? 'failed',
              } as const);
        process.nextTick(() => this.announceEnd(ended));
        return stored;
      }
      this.emitSafely('session:started', { type: 'session:started', session });
      return session;
    } finally {
      if (!adopted) this.inner.releaseSlot(slot);
    }
  }

  /**
   * Starts the session on the host started ahead of time, if there is one; if that host failed
   * before recording anything (it died while it waited), on a new one.
   */
  private async startHost(spec: HostSpec): Promise<void> {
    const spare = this.spareHost;
    this.spareHost = null;
    if (spare?.usable !== true) {
      spare?.dispose();
      await LaunchedHost.launch(this.hostDir).start(spec);
      return;
    }
    try {
      await spare.start(spec);
    } catch (error) {
      // A host that answered (or timed out) may have got as far as the session: no second start.
      if (!spare.endedWithoutAnswer || this.sessionStore.get(spec.sessionId) !== undefined) throw error;
      try {
        await LaunchedHost.launch(this.hostDir).start(spec);
      } catch (retryError) {
        throw new SessionError('HOST_START_FAILED', (retryError as Error).message, {
          cause: new AggregateError(
            [error, retryError],
            'The session host started ahead of time, then a new one, failed',
          ),
        });
      }
    }
  }

  /** Starts a host for the next durable session, so that it does not wait for Node to start. */
  private prepareSpareHost(): void {
    if (this.closing !== undefined || this.spareHost?.usable === true) return;
    this.spareHost?.dispose();
    this.spareHost = null;
    try {
      ensureHostDir(this.hostDir);
      if (!this.staleLogsRemoved) removeStaleStartingLogs(this.hostDir);
      this.staleLogsRemoved = true;
      this.spareHost = LaunchedHost.launch(this.hostDir);
    } catch {
      // The next durable session starts its own.
    }
  }

  /**
   * Connects to a durable session's host as its controller and takes the session over: the screen
   * mirror is rebuilt from the stored output up to the host's welcome offset, and live output
   * follows from there.
   */
  private async attachHost(sessionId: string, address: HostAddress, slot?: number): Promise<Session> {
    const connection = await HostConnection.open(address, sessionId, 'controller');
    const stored = this.sessionStore.get(sessionId);
    if (stored === undefined || stored.endedAt !== null) {
      void connection.close();
      throw new SessionError('SESSION_ENDED', `Session ${sessionId} has ended`);
    }
    const { outputBytes, cols, rows } = connection.welcome;
    const session: Session = { ...stored, outputBytes, cols: cols ?? stored.cols, rows: rows ?? stored.rows };
    this.hosts.set(sessionId, connection);
    this.durable.add(sessionId);
    if (this.detectCheckpoints) {
      this.watcher.track(sessionId, session.cols ?? DEFAULT_COLS, session.rows ?? DEFAULT_ROWS, {
        convertEol: session.mode === 'pipe',
      });
      if (session.status === 'waiting_checkpoint') this.watcher.restoreWaiting(sessionId);
      const replay = Math.min(outputBytes, SCREEN_REPLAY_BYTES);
      const tail = this.outputStore.read(sessionId, outputBytes - replay, replay);
      if (tail.data.length > 0) this.watcher.output(sessionId, tail.data);
    }
    const hostPid = connection.welcome.hostPid;
    return this.inner.adopt(
      session,
      (callbacks) =>
        hostChild(connection, session.pid ?? hostPid, callbacks, {
          onResized: (newCols, newRows) => {
            this.inner.noteResized(sessionId, newCols, newRows);
            this.watcher.resize(sessionId, newCols, newRows);
          },
          onLost: (reason) =>
            this.inner.noteStopReason(sessionId, `its session host (pid ${hostPid}) went away: ${reason}`),
          onTyped: (text) => this.noteInput(sessionId, text, 'terminal'),
          isReleased: () => this.released.has(sessionId),
        }),
      slot,
    );
  }

  /** Takes over every durable session recovery left to a live owner whose host answers. */
  private async reattachHosts(recovery: RecoveryResult): Promise<RecoveryResult> {
    const attempts = recovery.skippedLiveOwner.map(async (sessionId) => {
      const address = this.sessionStore.hostAddress(sessionId);
      if (address === undefined) return;
      try {
        const session = await this.attachHost(sessionId, address);
        recovery.reattached.push(sessionId);
        recovery.reattachedSessions.push(session);
      } catch (error) {
        if (isSessionError(error, 'SESSION_ENDED')) return;
        recovery.notReattached.push({
          sessionId,
          reason: error instanceof Error ? error.message : String(error),
          untrusted: isSessionError(error, 'HOST_UNTRUSTED'),
        });
      }
    });
    await Promise.all(attempts);
    recovery.skippedLiveOwner = recovery.skippedLiveOwner.filter((id) => !recovery.reattached.includes(id));
    return recovery;
  }

  /**
   * A durable session's end as its host recorded it, announced as is. False when the host did not
   * record one (it died): the end seen here is then written instead.
   */
  private adoptHostEnd(event: SessionCompletedEvent | SessionFailedEvent): boolean {
    const stored = this.sessionStore.get(event.session.id);
    if (stored === undefined || stored.endedAt === null) return false;
    event.session = stored;
    if (event.type === 'session:failed') event.reason = stored.failureReason ?? event.reason;
    return true;
  }

  /** Lets go of the durable sessions (their hosts keep them running) and ends the waits on them. */
  private async releaseDurable(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [sessionId, connection] of this.hosts) {
      this.released.add(sessionId);
      this.inner.release(sessionId);
      this.watcher.untrack(sessionId);
      this.typing.delete(sessionId);
      closing.push(connection.close());
      const waiters = this.endWaiters.get(sessionId) ?? [];
      this.endWaiters.delete(sessionId);
      const current = this.sessionStore.get(sessionId);
      if (current !== undefined) for (const resolve of waiters) resolve(current);
    }
    this.hosts.clear();
    await Promise.all(closing);
  }

  private reportStorageError(error: unknown): void {
    this.emitSafely('storage:error', { type: 'storage:error', error });
  }

  private requireKnown(sessionId: string): void {
    if (this.inner.getSession(sessionId) === undefined) this.requireStored(sessionId);
  }

  private requireStored(sessionId: string): Session {
    const stored = this.sessionStore.get(sessionId);
    if (stored === undefined) {
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
    }
    return stored;
  }

  private assertNotOwnedElsewhere(session: Session, action: string): void {
    if (session.endedAt === null && this.ownerStore.isAlive(session.ownerId)) {
      const owner = session.ownerId === null ? undefined : this.ownerStore.get(session.ownerId);
      throw new SessionError(
        'SESSION_NOT_OWNED',
        `Session ${session.id} is run by another harness process (pid ${owner?.pid ?? 'unknown'}); ` +
          `cannot ${action} it from here`,
      );
    }
  }
}
