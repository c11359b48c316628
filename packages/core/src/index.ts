export * from './session.js';
export * from './events.js';
export * from './recovery.js';
export * from './text/strip-ansi.js';
export * from './text/shell-quote.js';
export * from './checkpoint/types.js';
export * from './planning/types.js';
export { parsePlanningState, readPlanningState, type PlanningFileMap } from './planning/read-state.js';
export {
  PLANNING_READ_LIMITS,
  readPlanningDirectory,
  type PlanningFiles,
  type PlanningReadLimits,
} from './planning/read-directory.js';
export { comparePhaseIds, formatPlanId, normalizePhaseId } from './planning/phase-id.js';
export { detectCheckpoint } from './checkpoint/detect.js';
