import type { PlanningState } from '../api/types';
import { ConflictList } from './ConflictList';
import { PhaseRow } from './PhaseRow';

/** A project's GSD state: where it stands, what to run next, and every phase's progress. */
export function ProjectPanel({ state, dir }: { state: PlanningState; dir: string }) {
  const facts: [string, string | null][] = [
    ['Milestone', state.currentMilestone],
    ['Current phase', state.currentPhase],
    ['Current plan', state.currentPlan],
    ['Status', state.statusText],
  ];
  return (
    <section className="project-panel" data-testid="project-panel">
      <h2>{state.projectName ?? dir}</h2>
      <dl className="facts">
        {facts.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value ?? '—'}</dd>
          </div>
        ))}
      </dl>
      {state.nextAction !== null && (
        <p className="next-action">
          Next: <code data-testid="project-next">{state.nextAction}</code>
        </p>
      )}
      <h3>Phases</h3>
      {state.phases.length === 0 ? (
        <p className="muted">No phases found in ROADMAP.</p>
      ) : (
        <ul className="phases">
          {state.phases.map((phase) => (
            <PhaseRow key={phase.id} phase={phase} current={phase.id === state.currentPhase} />
          ))}
        </ul>
      )}
      <ConflictList conflicts={state.conflicts} />
      {state.warnings.length > 0 && (
        <div className="warnings">
          <h3>Warnings</h3>
          <ul>
            {state.warnings.map((warning, i) => (
              <li key={i} data-testid="project-warning">
                {warning}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
