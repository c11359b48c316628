import type { CheckpointDetails } from './types.js';

/** An `input` checkpoint with nothing extracted yet; callers fill in what their presentation shows. */
export function emptyDetails(title: string | null, text: string): CheckpointDetails {
  return {
    type: 'input',
    title,
    progress: null,
    task: null,
    built: null,
    verifySteps: [],
    decision: null,
    context: null,
    options: [],
    actionSteps: [],
    resumeInstruction: null,
    resumeKeywords: [],
    text,
    plan: null,
    verification: null,
    nextCommand: null,
  };
}
