import type { PersistentSessionManager } from '@gsd/session-manager';

/** What the tools work with: one manager, and how to start the agent CLI for a prompt. */
export interface ToolContext {
  manager: PersistentSessionManager;
  /** Command line of the agent CLI that `prompt` sessions run (default `claude`). */
  agentCommand: string;
}
