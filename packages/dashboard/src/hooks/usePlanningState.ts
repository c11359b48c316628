import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../api/http';
import { readPlanningState } from '../api/state';
import type { PlanningState } from '../api/types';

/** A project's `.planning` state as the server reads it, loaded on request. */
export function usePlanningState(): {
  state: PlanningState | null;
  loadedDir: string | null;
  loading: boolean;
  error: string | null;
  load: (dir: string) => void;
} {
  const [state, setState] = useState<PlanningState | null>(null);
  const [loadedDir, setLoadedDir] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const load = useCallback((dir: string) => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    // The panel shows one directory's state; the previous one must not pass for the new one's.
    setState(null);
    setLoadedDir(null);
    readPlanningState(dir)
      .then((next) => {
        if (mine !== generation.current) return;
        setState(next);
        setLoadedDir(dir);
      })
      .catch((caught: unknown) => {
        if (mine !== generation.current) return;
        setState(null);
        setError(errorMessage(caught));
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, []);

  return { state, loadedDir, loading, error, load };
}
