import type { PersistentSessionManager } from '@gsd/session-manager';

export interface ServerContext {
  manager: PersistentSessionManager;
  agentCommand: string;
  startedAt: Date;
}
