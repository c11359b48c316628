import type { SessionView } from '../api/types';

/** How an ended session ended: exit code or signal, and the failure reason. */
export function ExitSummary({ session }: { session: SessionView }) {
  if (session.endedAt === null && session.exitCode === null && session.failureReason === null) return null;
  return (
    <span className="exit">
      {session.exitCode !== null && <span className="exit-code">exit {session.exitCode}</span>}
      {session.signal !== null && <span className="exit-code">{session.signal}</span>}
      {session.failureReason !== null && <span className="reason">{session.failureReason}</span>}
    </span>
  );
}
