/**
 * What a session waits for: the three GSD checkpoint kinds, the verify-work test prompt, or a generic
 * prompt for input (a y/n or numbered choice, an idle agent prompt).
 */
export type CheckpointType = 'human-verify' | 'decision' | 'human-action' | 'verify-work' | 'input';

export const CHECKPOINT_TYPES: readonly CheckpointType[] = [
  'human-verify',
  'decision',
  'human-action',
  'verify-work',
  'input',
];

export interface CheckpointOption {
  /** As the agent will accept it in an answer, e.g. `supabase` or `1`. */
  id: string;
  name: string;
  description: string | null;
  pros: string[];
  cons: string[];
}

/** A checkpoint as read from a session's screen. Fields the presentation does not show are null/empty. */
export interface CheckpointDetails {
  type: CheckpointType;
  /** e.g. `Verification Required`, `Decision Required`, `Test 3: Login redirects`. */
  title: string | null;
  /** e.g. `5/8 tasks complete`. */
  progress: string | null;
  task: string | null;
  /** What was built (human-verify). */
  built: string | null;
  /** How to verify, one entry per step. */
  verifySteps: string[];
  /** The question (decision) and its context. */
  decision: string | null;
  context: string | null;
  options: CheckpointOption[];
  /** What the person must do (human-action), one entry per step. */
  actionSteps: string[];
  /** The line telling the person how to resume, e.g. `Type "approved" or describe issues`. */
  resumeInstruction: string | null;
  /** Words the agent expects, e.g. `approved`, `done`, `pass`, or the option ids. */
  resumeKeywords: string[];
  /** The screen text the checkpoint was read from: the presentation's own lines, borders included. */
  text: string;
  /** The plan the checkpoint belongs to, e.g. `03-03`, when the presentation names it. */
  plan?: string | null;
  /** What the agent will check once the person has acted (human-action), e.g. `vercel whoami returns your account`. */
  verification?: string | null;
  /** The command GSD suggests next when a command has finished (`## ▶ Next Up`), e.g. `/gsd:execute-phase 4`. */
  nextCommand?: string | null;
}

/** Who answered a checkpoint (`terminal`: keys typed in `gsd-harness attach`). */
export type Responder = 'mcp' | 'cli' | 'dashboard' | 'terminal';

/** A checkpoint as recorded for a session. */
export interface CheckpointRecord {
  id: number;
  sessionId: string;
  details: CheckpointDetails;
  detectedAt: Date;
  response: string | null;
  respondedAt: Date | null;
  responder: Responder | null;
}
