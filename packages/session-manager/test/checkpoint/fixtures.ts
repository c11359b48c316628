import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A human-verify checkpoint as GSD's executor prints it. */
export const VERIFY_CHECKPOINT = [
  'Working on task 5...',
  '╔═══════════════════════════════════════════════════════╗',
  '║  CHECKPOINT: Verification Required                    ║',
  '╚═══════════════════════════════════════════════════════╝',
  '',
  'Progress: 5/8 tasks complete',
  'Task: Responsive dashboard layout',
  '',
  'Built: Responsive dashboard at /dashboard',
  '',
  'How to verify:',
  '  1. Visit: http://localhost:3000/dashboard',
  '  2. Desktop (>1024px): Sidebar visible',
  '',
  '────────────────────────────────────────────────────────',
  '→ YOUR ACTION: Type "approved" or describe issues',
  '────────────────────────────────────────────────────────',
].join('\n');

/**
 * Writes a script that prints `text`, reads one line, then prints what it got and keeps working
 * for a moment before exiting 0 (or 3 when the answer is not `approved`).
 */
export function writeCheckpointScript(dir: string, text: string): string {
  const textFile = join(dir, 'checkpoint.txt');
  writeFileSync(textFile, `${text}\n`);
  const script = join(dir, 'checkpoint.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `cat '${textFile}'`,
      'read -r answer',
      'echo "got: $answer"',
      'sleep 0.3',
      'echo "continuing"',
      '[ "$answer" = approved ] || exit 3',
    ].join('\n'),
    { mode: 0o755 },
  );
  return script;
}
