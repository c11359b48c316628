import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { usePlanningState } from '../hooks/usePlanningState';
import { ErrorText } from './ErrorText';
import { ProjectPanel } from './ProjectPanel';

/** Reads a project's `.planning` state for the directory entered (loaded at once when one is known). */
export function ProjectView({ initialDir }: { initialDir: string }) {
  const [dir, setDir] = useState(initialDir);
  const planning = usePlanningState();
  const load = planning.load;
  const firstDir = useRef(initialDir);

  useEffect(() => {
    if (firstDir.current.trim() !== '') load(firstDir.current.trim());
  }, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dir.trim() !== '') load(dir.trim());
  };

  return (
    <div className="project">
      <form className="project-form" onSubmit={submit}>
        <label className="field grow">
          <span>Project directory</span>
          <input
            data-testid="project-dir"
            placeholder="/home/me/project"
            spellCheck={false}
            value={dir}
            onChange={(event) => setDir(event.target.value)}
          />
        </label>
        <button type="submit" className="primary" data-testid="project-load" disabled={planning.loading}>
          {planning.loading ? 'Loading…' : 'Load'}
        </button>
      </form>
      <ErrorText error={planning.error} testId="project-error" />
      {planning.state !== null && planning.loadedDir !== null && (
        <ProjectPanel state={planning.state} dir={planning.loadedDir} />
      )}
    </div>
  );
}
