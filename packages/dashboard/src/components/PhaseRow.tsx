import { useState } from 'react';
import type { PhaseInfo } from '../api/types';

const STATUS_LABELS: Record<PhaseInfo['status'], string> = {
  not_started: 'not started',
  planned: 'planned',
  in_progress: 'in progress',
  complete: 'complete',
};

/** One ROADMAP phase: progress by plans done, and its plans on demand. */
export function PhaseRow({ phase, current }: { phase: PhaseInfo; current: boolean }) {
  const [open, setOpen] = useState(current);
  const percent = phase.plansTotal === 0 ? 0 : Math.round((phase.plansComplete / phase.plansTotal) * 100);
  return (
    <li
      className={`phase phase-${phase.status} ${current ? 'is-current' : ''}`}
      data-testid="project-phase"
      data-phase-id={phase.id}
      data-status={phase.status}
    >
      <button type="button" className="phase-row" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="phase-id">{phase.id}</span>
        <span className="phase-name">
          {phase.name}
          {phase.milestone !== null && <span className="muted"> · {phase.milestone}</span>}
        </span>
        <span className={`phase-status status-${phase.status}`}>{STATUS_LABELS[phase.status]}</span>
        <span
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={phase.plansTotal}
          aria-valuenow={phase.plansComplete}
        >
          <span className="progress-fill" style={{ width: `${percent}%` }} />
        </span>
        <span className="phase-count">
          {phase.plansComplete}/{phase.plansTotal}
        </span>
      </button>
      {open && (
        <ul className="plans">
          {phase.plans.length === 0 && <li className="muted">No plans yet.</li>}
          {phase.plans.map((plan) => (
            <li key={plan.id} className={plan.complete === true || plan.hasSummary ? 'plan-done' : ''}>
              <code>{plan.id}</code>
              <span className="muted">{plan.path ?? '(summary only)'}</span>
              {(plan.complete === true || plan.hasSummary) && <span className="tag tag-done">done</span>}
              {plan.hasCheckpoints && <span className="tag">checkpoints</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
