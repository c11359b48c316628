/** JSON shapes the harness server sends; see the server's REST and WebSocket contract. */

export type SessionStatus = 'idle' | 'running' | 'waiting_checkpoint' | 'completed' | 'failed';

export interface SessionView {
  id: string;
  slot: number | null;
  status: SessionStatus;
  pid: number | null;
  workingDir: string;
  command: string;
  mode: 'pty' | 'pipe';
  exitCode: number | null;
  signal: string | null;
  failureReason: string | null;
  startedAt: string;
  endedAt: string | null;
  outputBytes: number;
  cols?: number | null;
  rows?: number | null;
  /** Held by a session host process: it outlives the harness that started it. */
  durable: boolean;
  /** The agent CLI's conversation id, set for sessions started from a prompt. */
  agentSessionId: string | null;
  /** The session whose agent conversation this one resumes. */
  resumedFrom: string | null;
}

export interface Slots {
  max: number;
  used: number;
  free: number;
}

export interface SessionList {
  sessions: SessionView[];
  slots: Slots;
}

export type CheckpointType = 'human-verify' | 'decision' | 'human-action' | 'verify-work' | 'input';

export interface CheckpointOption {
  id: string;
  name: string;
  description: string | null;
  pros: string[];
  cons: string[];
}

export interface CheckpointView {
  id: number;
  sessionId: string;
  type: CheckpointType;
  title: string | null;
  progress: string | null;
  task: string | null;
  built: string | null;
  verifySteps: string[];
  decision: string | null;
  context: string | null;
  options: CheckpointOption[];
  actionSteps: string[];
  resumeInstruction: string | null;
  resumeKeywords: string[];
  plan?: string | null;
  verification?: string | null;
  nextCommand?: string | null;
  detectedAt: string;
  response: string | null;
  respondedAt: string | null;
  responder: string | null;
  screen: string;
}

export interface CheckpointState {
  sessionId: string;
  status: SessionStatus;
  waiting: boolean;
  checkpoint: CheckpointView | null;
}

export interface OutputWindow {
  format: 'raw' | 'text' | 'screen';
  data: string;
  fromOffset: number;
  nextOffset: number;
  totalBytes: number;
}

export type PhaseStatus = 'not_started' | 'planned' | 'in_progress' | 'complete';

export interface PlanInfo {
  id: string;
  path: string | null;
  hasSummary: boolean;
  hasCheckpoints: boolean;
  complete?: boolean;
}

export interface PhaseInfo {
  id: string;
  name: string;
  status: PhaseStatus;
  plansTotal: number;
  plansComplete: number;
  plans: PlanInfo[];
  milestone: string | null;
}

export interface StateConflict {
  field: string;
  sources: Record<string, string>;
  chosen: string;
  reason: string;
}

export interface PlanningState {
  projectName: string | null;
  currentMilestone: string | null;
  phases: PhaseInfo[];
  currentPhase: string | null;
  currentPlan: string | null;
  statusText: string | null;
  nextAction: string | null;
  conflicts: StateConflict[];
  warnings: string[];
}

export type SessionEventName =
  'session:started' | 'session:completed' | 'session:failed' | 'session:waiting' | 'session:resumed';

export interface SnapshotMessage {
  type: 'snapshot';
  sessionId: string;
  offset: number;
  cols: number;
  rows: number;
  data: string;
}

export interface OutputMessage {
  type: 'output';
  sessionId: string;
  offset: number;
  data: string;
}

export interface OverflowMessage {
  type: 'overflow';
  sessionId: string;
  resumeOffset: number;
}

export type ServerMessage =
  | { type: 'hello'; sessions: SessionView[] }
  | { type: 'session'; event: SessionEventName; session: SessionView; checkpoint?: CheckpointView }
  | SnapshotMessage
  | OutputMessage
  | OverflowMessage
  | { type: 'subscribed'; sessionId: string }
  | { type: 'error'; sessionId?: string; message: string };

export type ClientMessage =
  | { type: 'subscribe' | 'unsubscribe'; sessionId: string }
  | { type: 'input'; sessionId: string; data: string }
  | { type: 'resize'; sessionId: string; cols: number; rows: number };

/** Statuses of a session whose process may still run. */
export const LIVE_STATUSES: readonly SessionStatus[] = ['idle', 'running', 'waiting_checkpoint'];

export function isLive(session: SessionView): boolean {
  return LIVE_STATUSES.includes(session.status);
}

/** An ended agent session, whose conversation can go on in a new session. */
export function isResumable(session: SessionView): boolean {
  return !isLive(session) && session.agentSessionId !== null;
}
