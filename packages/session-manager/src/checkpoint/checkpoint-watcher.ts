import { detectCheckpoint, type CheckpointDetails } from '@gsd/core';
import { ScreenMirror, type ScreenMirrorOptions, type SerializedScreen } from '../screen/screen-mirror.js';

/** How long output must be quiet before the screen is checked for a checkpoint. */
export const DEFAULT_QUIET_MS = 1_500;
/**
 * A pause this long in the output starts parsing what the mirror holds, so that the check at the end
 * of the quiet time does not have to parse a flood's backlog first.
 */
export const PARSE_AFTER_PAUSE_MS = 100;
/** Lines from the bottom of the terminal the detector reads (a checkpoint can be taller than the screen). */
export const DETECT_LINES = 80;

export interface CheckpointWatcherCallbacks {
  /** The screen shows a checkpoint and output has gone quiet. */
  onWaiting(sessionId: string, details: CheckpointDetails): void;
  /** Output resumed after an answer, or the checkpoint is no longer on the screen. */
  onResumed(sessionId: string): void;
  /**
   * Asked when output has gone quiet after an answer, with the screen's text and the checkpoint the
   * detector reads on it: true while the answer to that checkpoint is still being typed (it is then
   * not reported again).
   */
  isAnswering?(sessionId: string, screen: string, details: CheckpointDetails | null): boolean;
}

interface Watched {
  mirror: ScreenMirror;
  lastOutputAt: number;
  timer: NodeJS.Timeout | undefined;
  waiting: boolean;
  /** Answered: the checkpoint may stay on screen until the agent prints again; do not report it twice. */
  answered: boolean;
  checking: boolean;
}

/**
 * Mirrors each live session's screen and, when its output goes quiet, asks the detector whether the
 * session waits at a checkpoint. One timer per session, re-armed lazily, so a flood costs no timer
 * churn per chunk.
 */
export class CheckpointWatcher {
  private readonly sessions = new Map<string, Watched>();

  constructor(
    private readonly quietMs: number,
    private readonly callbacks: CheckpointWatcherCallbacks,
  ) {}

  track(sessionId: string, cols: number, rows: number, options: ScreenMirrorOptions = {}): void {
    this.sessions.set(sessionId, {
      mirror: new ScreenMirror(cols, rows, options),
      lastOutputAt: Date.now(),
      timer: undefined,
      waiting: false,
      answered: false,
      checking: false,
    });
  }

  output(sessionId: string, bytes: Uint8Array): void {
    const watched = this.sessions.get(sessionId);
    if (watched === undefined) return;
    watched.mirror.write(bytes);
    watched.lastOutputAt = Date.now();
    watched.answered = false;
    this.arm(sessionId, watched, Math.min(PARSE_AFTER_PAUSE_MS, this.quietMs / 2));
  }

  /**
   * The session was answered (input written while it waited): it counts as working again, and the
   * checkpoint still on screen is not reported again until the agent prints something.
   * Returns whether it was waiting.
   */
  answered(sessionId: string): boolean {
    const watched = this.sessions.get(sessionId);
    if (watched?.waiting !== true) return false;
    watched.waiting = false;
    watched.answered = true;
    return true;
  }

  /** Whether the session waits at a checkpoint (detected, not yet answered). */
  isWaiting(sessionId: string): boolean {
    return this.sessions.get(sessionId)?.waiting === true;
  }

  /** The session was waiting when this watcher took it over (a re-attached session). */
  restoreWaiting(sessionId: string): void {
    const watched = this.sessions.get(sessionId);
    if (watched !== undefined) watched.waiting = true;
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.sessions.get(sessionId)?.mirror.resize(cols, rows);
  }

  /** What the session's terminal shows now (the last `lines` lines), or undefined if not watched. */
  async screenText(sessionId: string, lines?: number): Promise<string | undefined> {
    return this.sessions.get(sessionId)?.mirror.text(lines);
  }

  /**
   * The session's screen and scrollback serialized, or undefined if it is not watched (or stops being
   * watched before the screen is read). The byte count is fixed when this is called.
   */
  async snapshot(sessionId: string): Promise<SerializedScreen | undefined> {
    return this.sessions.get(sessionId)?.mirror.snapshot();
  }

  untrack(sessionId: string): void {
    const watched = this.sessions.get(sessionId);
    if (watched === undefined) return;
    clearTimeout(watched.timer);
    watched.mirror.dispose();
    this.sessions.delete(sessionId);
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) this.untrack(id);
  }

  private arm(sessionId: string, watched: Watched, delayMs: number): void {
    if (watched.timer !== undefined) return;
    watched.timer = setTimeout(() => {
      watched.timer = undefined;
      const quietFor = Date.now() - watched.lastOutputAt;
      const parseAt = Math.min(PARSE_AFTER_PAUSE_MS, this.quietMs / 2);
      if (quietFor < parseAt) {
        this.arm(sessionId, watched, parseAt - quietFor);
        return;
      }
      watched.mirror.parsePending();
      if (quietFor < this.quietMs) {
        this.arm(sessionId, watched, this.quietMs - quietFor);
        return;
      }
      void this.check(sessionId, watched);
    }, delayMs);
  }

  private async check(sessionId: string, watched: Watched): Promise<void> {
    if (watched.checking) {
      this.arm(sessionId, watched, this.quietMs); // Look again once the check in progress is done.
      return;
    }
    watched.checking = true;
    try {
      const text = await watched.mirror.text(DETECT_LINES);
      // Output arrived while the screen was read: the next quiet period decides.
      if (this.sessions.get(sessionId) !== watched || Date.now() - watched.lastOutputAt < this.quietMs)
        return;
      if (watched.answered) return;
      const details = detectCheckpoint(text);
      if (!watched.waiting && this.callbacks.isAnswering?.(sessionId, text, details) === true) return;
      if (details !== null && !watched.waiting) {
        watched.waiting = true;
        watched.answered = false;
        this.callbacks.onWaiting(sessionId, details);
      } else if (details === null && watched.waiting) {
        watched.waiting = false;
        watched.answered = false;
        this.callbacks.onResumed(sessionId);
      }
    } finally {
      watched.checking = false;
    }
  }
}
