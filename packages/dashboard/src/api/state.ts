import { query, request } from './http';
import type { PlanningState } from './types';

export function readPlanningState(dir: string): Promise<PlanningState> {
  return request('GET', `/api/state${query({ dir })}`);
}
