import { randomUUID } from 'node:crypto';
import type { Session, SessionEventMap } from '@gsd/core';
import { SessionError } from './errors.js';
import type { ChildCallbacks, ChildExit, ChildHandle } from './process/child.js';
import { readProcessStartTime } from './process/identity.js';
import { spawnPipe } from './process/spawn-pipe.js';
import { spawnPty } from './process/spawn-pty.js';
import { TailBuffer } from './output/tail-buffer.js';
import { OutputEvent } from './output/output-event.js';
import { incompleteUtf8Tail } from './output/utf8.js';
import { TypedEmitter } from './typed-emitter.js';
import { validateCommand, validateDimension, validateEnv, validateWorkingDir } from './validate.js';

export const DEFAULT_MAX_SESSIONS = 3;
/** How long `terminate` waits after SIGTERM before sending SIGKILL. */
export const DEFAULT_TERMINATE_GRACE_MS = 5_000;
/** After exit, how long output may stay quiet before a still-open stream is abandoned. */
export const DEFAULT_DRAIN_IDLE_MS = 2_000;
/** After exit, the longest output is read in any case (a background process may write forever). */
export const DEFAULT_DRAIN_MAX_MS = 10_000;
/** After SIGKILL, how long to wait for the session to end before closing its streams. */
export const KILL_WAIT_MS = 2_000;
/** In-memory output kept per session, for `getOutput` without a store. */
export const DEFAULT_OUTPUT_BUFFER_BYTES = 1024 * 1024;
export const DEFAULT_COLS = 120;
export const DEFAULT_ROWS = 40;

export interface SessionManagerOptions {
  maxSessions?: number;
  terminateGraceMs?: number;
  drainIdleMs?: number;
  drainMaxMs?: number;
  outputBufferBytes?: number;
  /** Recorded on each session as the manager that owns its process. */
  ownerId?: string;
}

export interface SpawnOptions {
  /** Run on a pseudo-terminal (for interactive and full-screen programs) instead of pipes. */
  pty?: boolean;
  cols?: number;
  rows?: number;
  /** Variables added to (or overriding) the harness's own environment. */
  env?: Record<string, string>;
  /**
   * Run under a session host process that outlives the harness (PersistentSessionManager only;
   * default: its `durableByDefault` option).
   */
  durable?: boolean;
  /** Recorded with the session: the agent CLI's conversation id given to it on its command line. */
  agentSessionId?: string;
  /** Recorded with the session: the session whose agent conversation it resumes. */
  resumedFrom?: string;
  /** Use this id instead of a new one (a session host runs the session it was started for). */
  sessionId?: string;
}

interface LiveSession {
  session: Session;
  child: ChildHandle | null;
  tail: TailBuffer;
  /** The start of a UTF-8 character cut off at the end of the last chunk, for the next chunk's `data`. */
  carry: Buffer;
  seq: number;
  /** Output that arrived before `session:started` was emitted. */
  pending: Buffer[] | null;
  /** The first reason the session was asked to stop; it wins over the exit status. */
  stopReason: string | null;
  /** The slot this session holds, or null for one adopted beyond maxSessions. */
  heldSlot: number | null;
  ended: Promise<Session>;
  resolveEnded: (session: Session) => void;
}

const EMPTY = Buffer.alloc(0);

function copy(session: Session): Session {
  return { ...session };
}

/** The session once it has ended, or null if it has not within `ms`. */
async function endedWithin(ended: Promise<Session>, ms: number): Promise<Session | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([ended, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs shell commands as sessions, on pipes or pseudo-terminals, and reports what they print. */
export class SessionManager extends TypedEmitter<SessionEventMap> {
  readonly maxSessions: number;
  readonly ownerId: string | null;
  private readonly terminateGraceMs: number;
  private readonly drainIdleMs: number;
  private readonly drainMaxMs: number;
  private readonly outputBufferBytes: number;
  private readonly sessions = new Map<string, LiveSession>();
  private readonly slots = new Set<number>();
  /** Adopted sessions that hold no slot: re-attached when every slot was taken. */
  private readonly overSlots = new Set<string>();

  constructor(options: SessionManagerOptions = {}) {
    super();
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) {
      throw new SessionError(
        'INVALID_ARGUMENT',
        `Expected the \`maxSessions\` option to be a positive integer, got ${String(maxSessions)}`,
      );
    }
    this.maxSessions = maxSessions;
    this.ownerId = options.ownerId ?? null;
    this.terminateGraceMs = options.terminateGraceMs ?? DEFAULT_TERMINATE_GRACE_MS;
    this.drainIdleMs = options.drainIdleMs ?? DEFAULT_DRAIN_IDLE_MS;
    this.drainMaxMs = options.drainMaxMs ?? DEFAULT_DRAIN_MAX_MS;
    this.outputBufferBytes = options.outputBufferBytes ?? DEFAULT_OUTPUT_BUFFER_BYTES;
  }

  /** Starts `command` with `/bin/sh -c` in `workingDir`; resolves once the process is running. */
  async spawn(workingDir: string, command: string, options: SpawnOptions = {}): Promise<Session> {
    const cwd = validateWorkingDir(workingDir);
    validateCommand(command);
    const extraEnv = validateEnv(options.env);
    const cols = validateDimension('cols', options.cols, DEFAULT_COLS);
    const rows = validateDimension('rows', options.rows, DEFAULT_ROWS);
    const slot = this.reserveSlot();

    let resolveEnded: (session: Session) => void = () => {};
    const ended = new Promise<Session>((resolve) => {
      resolveEnded = resolve;
    });
    const live: LiveSession = {
      session: {
        id: options.sessionId ?? randomUUID(),
        slot,
        workingDir: cwd,
        command,
        mode: options.pty === true ? 'pty' : 'pipe',
        status: 'idle',
        pid: null,
        pidStartTime: null,
        ownerId: this.ownerId,
        startedAt: new Date(),
        endedAt: null,
        exitCode: null,
        signal: null,
        failureReason: null,
        outputBytes: 0,
        cols: options.pty === true ? cols : null,
        rows: options.pty === true ? rows : null,
        durable: false,
        agentSessionId: options.agentSessionId ?? null,
        resumedFrom: options.resumedFrom ?? null,
      },
      child: null,
      tail: new TailBuffer(this.outputBufferBytes),
      carry: EMPTY,
      seq: 0,
      pending: [],
      stopReason: null,
      heldSlot: slot,
      ended,
      resolveEnded,
    };

    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...extraEnv };
    const callbacks = {
      onData: (bytes: Buffer) => this.handleData(live, bytes),
      onExit: (exit: ChildExit) => this.handleExit(live, exit),
    };
    try {
      const spawnOptions = { command, cwd, env, drainIdleMs: this.drainIdleMs, drainMaxMs: this.drainMaxMs };
      if (live.session.mode === 'pty') {
        env.TERM ??= 'xterm-256color';
        live.child = spawnPty({ ...spawnOptions, cols, rows }, callbacks);
      } else {
        live.child = await spawnPipe(spawnOptions, callbacks);
      }
    } catch (error) {
      this.slots.delete(slot);
      throw error;
    }

    const session = live.session;
    session.pid = live.child.pid;
    session.pidStartTime = readProcessStartTime(live.child.pid);
    session.status = 'running';
    this.sessions.set(session.id, live);
    try {
      this.emit('session:started', { type: 'session:started', session: copy(session) });
    } catch (error) {
      // A listener could not take the session (e.g. the store failed): leave nothing running.
      live.stopReason = 'could not be recorded';
      live.child.kill('SIGKILL');
      this.sessions.delete(session.id);
      this.slots.delete(slot);
      throw error;
    }
    const early = live.pending ?? [];
    live.pending = null;
    for (const bytes of early) this.handleData(live, bytes);
    return copy(session);
  }

  /** Stops a session: SIGTERM to its process group, then SIGKILL if it has not exited in time. */
  async terminate(sessionId: string): Promise<Session> {
    const live = this.getLive(sessionId);
    if (live.session.endedAt !== null) return copy(live.session);
    live.stopReason ??= 'terminated on request';
    live.child?.kill('SIGTERM');
    if ((await endedWithin(live.ended, this.terminateGraceMs)) === null) {
      live.stopReason = `terminated on request (no exit within ${this.terminateGraceMs} ms of SIGTERM; sent SIGKILL)`;
      live.child?.kill('SIGKILL');
      // Output that never ends (a process that escaped the group still writing) must not hold the slot.
      if ((await endedWithin(live.ended, KILL_WAIT_MS)) === null) live.child?.forceClose();
    }
    return live.ended;
  }

  /** Stops reading a session's output until `resume` (its process blocks when its buffer fills). */
  pause(sessionId: string): void {
    const live = this.getLive(sessionId);
    if (live.session.endedAt === null) live.child?.pause();
  }

  resume(sessionId: string): void {
    const live = this.getLive(sessionId);
    if (live.session.endedAt === null) live.child?.resume();
  }

  /** Writes `text` to the session's input exactly as given (no newline is added). */
  sendInput(sessionId: string, text: string | Uint8Array): void {
    const live = this.getLive(sessionId);
    if (live.session.endedAt !== null || live.stopReason !== null) {
      throw new SessionError(
        'SESSION_ENDED',
        `Session ${sessionId} has ended (${live.session.status}); it no longer accepts input`,
      );
    }
    live.child?.write(text);
  }

  /** Moves a live session between `running` and `waiting_checkpoint`; returns the updated session. */
  setWaiting(sessionId: string, waiting: boolean): Session | undefined {
    const live = this.sessions.get(sessionId);
    if (live === undefined || live.session.endedAt !== null) return undefined;
    live.session.status = waiting ? 'waiting_checkpoint' : 'running';
    return copy(live.session);
  }

  /** Closes the session's input: end-of-file on a pipe, Ctrl-D on a terminal. */
  endInput(sessionId: string): void {
    const live = this.getLive(sessionId);
    if (live.session.endedAt === null) live.child?.endInput();
  }

  /** Changes the terminal size of a PTY session; ignored for pipe sessions. */
  resize(sessionId: string, cols: number, rows: number): void {
    const live = this.getLive(sessionId);
    validateDimension('cols', cols, cols);
    validateDimension('rows', rows, rows);
    if (live.session.mode !== 'pty' || live.session.endedAt !== null) return;
    live.session.cols = cols;
    live.session.rows = rows;
    live.child?.resize(cols, rows);
  }

  getSession(sessionId: string): Session | undefined {
    const live = this.sessions.get(sessionId);
    return live === undefined ? undefined : copy(live.session);
  }

  listSessions(): Session[] {
    return [...this.sessions.values()].map((live) => copy(live.session));
  }

  /** The most recent output kept in memory (up to `outputBufferBytes`), or undefined for an unknown session. */
  getOutput(sessionId: string): Buffer | undefined {
    return this.sessions.get(sessionId)?.tail.read().bytes;
  }

  /** Resolves with the final session once it has ended; rejects for an unknown session. */
  async waitForEnd(sessionId: string): Promise<Session> {
    return this.getLive(sessionId).ended;
  }

  /** Drops an ended session from memory. */
  forget(sessionId: string): void {
    const live = this.sessions.get(sessionId);
    if (live !== undefined && live.session.endedAt !== null) this.sessions.delete(sessionId);
  }

  get activeCount(): number {
    return this.slots.size + this.overSlots.size;
  }

  /** Reserves a slot for a session to be adopted; give it back with `releaseSlot` if it never is. */
  claimSlot(): number {
    return this.reserveSlot();
  }

  releaseSlot(slot: number): void {
    this.slots.delete(slot);
  }

  /**
   * Takes over a live session whose process another process holds (a session host), reached through
   * the handle `attach` returns. Its output offsets continue from `session.outputBytes`. It takes
   * `slot` when given (from `claimSlot`), else its own slot or any free one; a session re-attached
   * when none is free is still taken, beyond maxSessions.
   */
  adopt(session: Session, attach: (callbacks: ChildCallbacks) => ChildHandle, slot?: number): Session {
    let heldSlot: number | null = slot ?? null;
    if (heldSlot === null) {
      const own = session.slot;
      if (own !== null && own <= this.maxSessions && !this.slots.has(own)) heldSlot = own;
      else heldSlot = this.freeSlot();
      if (heldSlot !== null) this.slots.add(heldSlot);
      else this.overSlots.add(session.id);
    }
    let resolveEnded: (session: Session) => void = () => {};
    const ended = new Promise<Session>((resolve) => {
      resolveEnded = resolve;
    });
    const live: LiveSession = {
      session: { ...session, slot: heldSlot ?? session.slot },
      child: null,
      tail: new TailBuffer(this.outputBufferBytes),
      carry: EMPTY,
      seq: 0,
      pending: null,
      stopReason: null,
      heldSlot,
      ended,
      resolveEnded,
    };
    this.sessions.set(session.id, live);
    live.child = attach({
      onData: (bytes: Buffer) => this.handleData(live, bytes),
      onExit: (exit: ChildExit) => this.handleExit(live, exit),
    });
    return copy(live.session);
  }

  /** Lets go of a live adopted session without ending it: its host keeps it running. */
  release(sessionId: string): void {
    const live = this.sessions.get(sessionId);
    if (live === undefined || live.session.endedAt !== null) return;
    this.sessions.delete(sessionId);
    this.freeHeldSlot(live);
  }

  /** Records a terminal size set elsewhere (by another client of the session's host). */
  noteResized(sessionId: string, cols: number, rows: number): Session | undefined {
    const live = this.sessions.get(sessionId);
    if (live === undefined || live.session.mode !== 'pty') return undefined;
    live.session.cols = cols;
    live.session.rows = rows;
    return copy(live.session);
  }

  /** Sets the reason a session ends with, unless one is set already (the first reason wins). */
  noteStopReason(sessionId: string, reason: string): void {
    const live = this.sessions.get(sessionId);
    if (live !== undefined) live.stopReason ??= reason;
  }

  /** Terminates every live session and waits for each to end. */
  async terminateAll(): Promise<void> {
    const live = [...this.sessions.values()].filter((s) => s.session.endedAt === null);
    await Promise.all(live.map((s) => this.terminate(s.session.id)));
  }

  private getLive(sessionId: string): LiveSession {
    const live = this.sessions.get(sessionId);
    if (live === undefined) {
      throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
    }
    return live;
  }

  private freeSlot(): number | null {
    if (this.activeCount >= this.maxSessions) return null;
    for (let slot = 1; slot <= this.maxSessions; slot++) {
      if (!this.slots.has(slot)) return slot;
    }
    return null;
  }

  private freeHeldSlot(live: LiveSession): void {
    if (live.heldSlot !== null) this.slots.delete(live.heldSlot);
    this.overSlots.delete(live.session.id);
  }

  private reserveSlot(): number {
    const slot = this.freeSlot();
    if (slot !== null) {
      this.slots.add(slot);
      return slot;
    }
    const running = this.listSessions()
      .filter((s) => s.endedAt === null)
      .map((s) => s.id.slice(0, 8));
    throw new SessionError(
      'SESSION_LIMIT',
      `All ${this.maxSessions} session slots are in use (${running.join(', ')}); ` +
        'wait for one to end, end one, or raise maxSessions',
    );
  }

  private handleData(live: LiveSession, bytes: Buffer): void {
    if (live.pending !== null) {
      live.pending.push(bytes);
      return;
    }
    const session = live.session;
    const offset = session.outputBytes;
    session.outputBytes += bytes.length;
    live.tail.push(bytes);
    // A character split across chunks appears whole in the `data` of the chunk that completes it.
    const carry = live.carry;
    const joined = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
    const incomplete = incompleteUtf8Tail(joined);
    live.carry = incomplete === 0 ? EMPTY : Buffer.from(joined.subarray(joined.length - incomplete));
    this.emitSafely(
      'session:output',
      new OutputEvent(session.id, live.seq++, offset, bytes, new Date(), carry, incomplete),
    );
  }

  private handleExit(live: LiveSession, exit: ChildExit): void {
    if (live.pending !== null) {
      // Exited before it was announced: it is being torn down by spawn().
      live.resolveEnded(copy(live.session));
      return;
    }
    const session = live.session;
    session.exitCode = exit.exitCode;
    session.signal = exit.signal;
    session.endedAt = new Date();
    if (live.stopReason !== null) {
      session.failureReason = live.stopReason;
    } else if (exit.signal !== null) {
      session.failureReason = `killed by ${exit.signal}`;
    } else if (exit.exitCode !== 0) {
      session.failureReason = `exited with code ${String(exit.exitCode)}`;
    }
    session.status = session.failureReason === null ? 'completed' : 'failed';
    this.freeHeldSlot(live);
    const final = copy(session);
    if (final.status === 'completed') {
      this.emitSafely('session:completed', { type: 'session:completed', session: final });
    } else {
      this.emitSafely('session:failed', {
        type: 'session:failed',
        session: final,
        reason: final.failureReason as string,
      });
    }
    live.resolveEnded(copy(session));
  }
}
