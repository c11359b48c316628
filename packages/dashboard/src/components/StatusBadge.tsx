import type { CheckpointType, SessionStatus } from '../api/types';

const LABELS: Record<SessionStatus, string> = {
  idle: 'starting',
  running: 'running',
  waiting_checkpoint: 'waiting',
  completed: 'completed',
  failed: 'failed',
};

/** A session's status in a word, with the checkpoint kind while it waits. */
export function StatusBadge({
  status,
  checkpointType,
  testId,
}: {
  status: SessionStatus;
  checkpointType?: CheckpointType;
  testId?: string;
}) {
  const label =
    status === 'waiting_checkpoint' && checkpointType !== undefined
      ? `waiting (${checkpointType})`
      : LABELS[status];
  return (
    <span className={`badge badge-${status}`} data-testid={testId} data-status={status}>
      {label}
    </span>
  );
}
