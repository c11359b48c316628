import { describe, expect, it } from 'vitest';
import { detectCheckpoint, type CheckpointDetails } from '../../src/index.js';
import { excerpt, readScreen, readTranscript, rest, span } from './helpers/transcript.js';

/** Detects a checkpoint and fails the test, showing the screen, when there is none. */
function detected(screen: string): CheckpointDetails {
  const details = detectCheckpoint(screen);
  if (details === null) throw new Error(`expected a checkpoint in:\n${screen}`);
  return details;
}

describe('transcript 01: real report, prose paraphrase without a box', () => {
  const screen = excerpt(readTranscript('01'), '---- quoted output', '---- end');

  it('is a human-verify checkpoint with the title, plan and keyword from the prose', () => {
    expect(detected(screen)).toMatchObject({
      type: 'human-verify',
      title: 'Human Verification Required',
      plan: '01-02',
      resumeInstruction: 'Type "approved" or describe any issues to fix.',
      resumeKeywords: ['approved'],
    });
  });
});

describe('transcript 02: real GSD Core tracer checkpoint', () => {
  const screen = excerpt(readTranscript('02'), '---- quoted output', '---- end');

  it('reads the unquoted keyword "verified" and the automated result', () => {
    expect(detected(screen)).toMatchObject({
      type: 'human-verify',
      title: 'Verification Required',
      built: '5 passed; 0 failed',
      resumeKeywords: ['verified'],
    });
  });
});

describe('transcript 03: box re-rendered in ASCII with a ">" arrow', () => {
  const screen = excerpt(readTranscript('03'), '---- quoted', '---- end');

  it('reads every field of the human-verify box', () => {
    const details = detected(screen);
    expect(details).toMatchObject({
      type: 'human-verify',
      title: 'Verification Required',
      progress: '5/8 tasks complete',
      task: 'Responsive dashboard layout',
      built: 'Responsive dashboard at /dashboard',
      resumeInstruction: 'Type "approved" or describe issues',
      resumeKeywords: ['approved'],
    });
    expect(details.verifySteps).toEqual([
      'Run: npm run dev',
      'Visit: http://localhost:3000/dashboard',
      'Desktop: Verify sidebar visible',
    ]);
    expect(details.text.split('\n')[0]).toMatch(/^\+-+\+$/);
  });
});

describe('transcript 04: v1.5.9+ boxes', () => {
  const transcript = readTranscript('04');
  const box = (kind: string) => excerpt(transcript, '```', '```', `**For checkpoint:${kind}:**`);

  it('human-verify: progress, task, built and four steps', () => {
    const details = detected(box('human-verify'));
    expect(details).toMatchObject({
      type: 'human-verify',
      title: 'Verification Required',
      progress: '5/8 tasks complete',
      task: 'Responsive dashboard layout',
      built: 'Responsive dashboard at /dashboard',
      resumeKeywords: ['approved'],
    });
    expect(details.verifySteps).toHaveLength(4);
    expect(details.verifySteps[0]).toBe('Visit: http://localhost:3000/dashboard');
    expect(details.verifySteps[3]).toBe('Mobile (375px): Sidebar hidden, hamburger menu appears');
  });

  it('decision: question, context and three options with pros and cons', () => {
    const details = detected(box('decision'));
    expect(details).toMatchObject({
      type: 'decision',
      title: 'Decision Required',
      progress: '2/6 tasks complete',
      task: 'Select authentication provider',
      decision: 'Which auth provider should we use?',
      context: 'Need user authentication. Three options with different tradeoffs.',
      resumeInstruction: 'Select supabase, clerk, or nextauth',
      resumeKeywords: ['supabase', 'clerk', 'nextauth'],
    });
    expect(details.options.map((option) => option.id)).toEqual(['supabase', 'clerk', 'nextauth']);
    expect(details.options[0]).toEqual({
      id: 'supabase',
      name: 'supabase',
      description: 'Built-in with our DB, free tier',
      pros: ['Row-level security integration', 'generous free tier'],
      cons: ['Less customizable UI', 'ecosystem lock-in'],
    });
    expect(details.options[2]?.pros).toEqual(['Free', 'no vendor lock-in', 'widely adopted']);
    expect(details.options[1]?.cons).toEqual(['Vendor lock-in', 'pricing at scale']);
  });

  it('human-action: attempt and error as context, three steps, what the agent will verify', () => {
    const details = detected(box('human-action'));
    expect(details).toMatchObject({
      type: 'human-action',
      title: 'Action Required',
      progress: '3/8 tasks complete',
      task: 'Deploy to Vercel',
      context: "Attempted: vercel --yes\nError: Not authenticated. Please run 'vercel login'",
      verification: 'vercel whoami returns your account',
      resumeInstruction: 'Type "done" when authenticated',
      resumeKeywords: ['done'],
    });
    expect(details.actionSteps).toEqual([
      'Run: vercel login',
      'Complete browser authentication when it opens',
      'Return here when done',
    ]);
  });

  it('the reference file itself on display is not a stop (it ends with more text)', () => {
    expect(detectCheckpoint(transcript)).toBeNull();
  });
});

describe('transcript 05: verify-work test prompt', () => {
  const screen = excerpt(readTranscript('05'), '---- rendered', '---- end');

  it('is verify-work with the test as title, the expectation as the step and "pass"', () => {
    expect(detected(screen)).toMatchObject({
      type: 'verify-work',
      title: 'Test 1: Login flow',
      verifySteps: ['User can sign in'],
      resumeInstruction: "Type `pass` or describe what's wrong.",
      resumeKeywords: ['pass'],
    });
  });
});

describe('transcript 06: executor return and orchestrator presentation', () => {
  const transcript = readTranscript('06');

  it('the literal return template (placeholders) is not a stop', () => {
    const template = excerpt(transcript, '```markdown', '```', '=== (A)');
    expect(template).toContain('## CHECKPOINT REACHED');
    expect(detectCheckpoint(template)).toBeNull();
  });

  it('the literal orchestrator template (placeholders) is not a stop', () => {
    const template = excerpt(transcript, '```', '```', '=== (B)');
    expect(template).toContain('## Checkpoint: [Type]');
    expect(detectCheckpoint(template)).toBeNull();
  });

  it('a filled human-verify return: type, plan, progress, current task, steps, awaiting', () => {
    const details = detected(readScreen('06-executor-return-human-verify'));
    expect(details).toMatchObject({
      type: 'human-verify',
      title: 'CHECKPOINT REACHED',
      plan: '03-03',
      progress: '2/3 tasks complete',
      task: 'Verify responsive dashboard',
      built: 'Responsive dashboard at /dashboard',
      resumeInstruction: 'Type "approved" or describe issues',
      resumeKeywords: ['approved'],
    });
    expect(details.verifySteps).toEqual([
      'Visit: http://localhost:3000/dashboard',
      'Resize to 768px: sidebar collapses to icons',
    ]);
  });

  it('a filled decision return: options from the details, keywords from the awaiting line', () => {
    const details = detected(readScreen('06-executor-return-decision'));
    expect(details).toMatchObject({
      type: 'decision',
      plan: '02-01',
      task: 'Select authentication provider',
      decision: 'Which auth provider should we use?',
      resumeKeywords: ['supabase', 'clerk'],
    });
    expect(details.options.map((option) => [option.id, option.pros.length, option.cons.length])).toEqual([
      ['supabase', 2, 2],
      ['clerk', 2, 2],
    ]);
  });

  it('a human-action return as Claude Code renders markdown (no # or **, message marker, indent)', () => {
    const details = detected(readScreen('06-executor-return-human-action-rendered'));
    expect(details).toMatchObject({
      type: 'human-action',
      plan: '04-02',
      progress: '3/8 tasks complete',
      task: 'Deploy to Vercel',
      verification: 'vercel whoami returns your account',
      resumeKeywords: ['done'],
    });
    expect(details.actionSteps).toEqual([
      'Run: vercel login',
      'Complete browser authentication when it opens',
    ]);
  });

  it('a filled orchestrator decision (`## Checkpoint: Decision`)', () => {
    const details = detected(readScreen('06-orchestrator-decision'));
    expect(details).toMatchObject({
      type: 'decision',
      title: 'Decision',
      plan: '03-03',
      progress: '2/3 tasks complete',
      decision: 'Which chart library should the dashboard use?',
      resumeKeywords: ['recharts', 'chartjs'],
    });
    expect(details.options).toEqual([
      {
        id: 'recharts',
        name: 'recharts',
        description: 'Declarative React charts',
        pros: ['Simple API', 'composable'],
        cons: ['Larger bundle'],
      },
      {
        id: 'chartjs',
        name: 'chartjs',
        description: 'Canvas based',
        pros: ['Fast with many points'],
        cons: ['Imperative API'],
      },
    ]);
  });

  it('a filled orchestrator human-verify named by its machine type (`## Checkpoint: human-verify`)', () => {
    const details = detected(readScreen('06-orchestrator-human-verify'));
    expect(details).toMatchObject({
      type: 'human-verify',
      title: 'human-verify',
      resumeKeywords: ['approved'],
    });
    expect(details.verifySteps).toHaveLength(3);
  });

  it('auto-mode log lines are not stops, alone or after a checkpoint', () => {
    const lines = excerpt(transcript, '=== (C)', '=== (D)').trim();
    expect(lines.split('\n')).toHaveLength(3);
    expect(detectCheckpoint(lines)).toBeNull();
    for (const line of lines.split('\n')) expect(detectCheckpoint(line)).toBeNull();
    const answered = `${readScreen('06-orchestrator-decision')}\n\n⚡ Auto-selected: recharts`;
    expect(detectCheckpoint(answered)).toBeNull();
  });

  it('heartbeat lines are not stops, as templates or filled in', () => {
    const template = transcript.slice(transcript.indexOf('=== (D)')).split('\n').slice(1).join('\n').trim();
    expect(template.split('\n')).toHaveLength(4);
    expect(detectCheckpoint(template)).toBeNull();
    const filled = template
      .replaceAll('{PHASE_NUMBER}', '3')
      .replace(/\{N\}\/\{M\}/g, '1/2')
      .replace(/\{P\}\/\{Q\}/g, '1/4')
      .replaceAll('{plan_id}', '03-02')
      .replaceAll('{status}', 'complete')
      .replaceAll('{wave_plan_count}', '2')
      .replaceAll('{wave_success}', '2');
    expect(filled).not.toMatch(/\{/);
    expect(detectCheckpoint(filled)).toBeNull();
  });
});

describe('transcript 07: v1.0 double-rule format', () => {
  const transcript = readTranscript('07');

  it('the literal templates (placeholders) are not stops', () => {
    const generic = excerpt(transcript, '```', '```', '=== generic');
    const verify = excerpt(transcript, '```', '```', '**For checkpoint:human-verify');
    const decision = excerpt(transcript, '```', '```', '**For checkpoint:decision');
    const action = excerpt(transcript, '```', '```', '**For checkpoint:human-action');
    for (const template of [generic, verify, decision, action]) expect(detectCheckpoint(template)).toBeNull();
  });

  it('the human-verify template filled in', () => {
    const details = detected(readScreen('07-v1.0-human-verify'));
    expect(details).toMatchObject({
      type: 'human-verify',
      title: 'Verification Required',
      progress: 'Task 4 of 8',
      task: 'Verify dashboard layout',
      built: 'Deployed the dashboard to https://preview.example.com',
      resumeInstruction: "Type 'approved' or describe issues",
      resumeKeywords: ['approved'],
    });
    expect(details.verifySteps).toHaveLength(3);
    expect(details.verifySteps[0]).toBe('Visit https://preview.example.com/dashboard');
  });

  it('the decision template filled in (`1. option-id: name`, `Select: a or b`)', () => {
    const details = detected(readScreen('07-v1.0-decision'));
    expect(details).toMatchObject({
      type: 'decision',
      progress: 'Task 2 of 6',
      decision: 'Which database should we use?',
      context: 'The app needs relational data and full-text search.',
      resumeKeywords: ['postgres', 'sqlite'],
    });
    expect(details.options).toEqual([
      {
        id: 'postgres',
        name: 'PostgreSQL on Supabase',
        description: null,
        pros: ['Relational', 'full-text search built in'],
        cons: ['Needs connection pooling at scale'],
      },
      {
        id: 'sqlite',
        name: 'SQLite with Litestream',
        description: null,
        pros: ['No server', 'cheap'],
        cons: ['Single writer'],
      },
    ]);
  });

  it('the human-action template filled in', () => {
    const details = detected(readScreen('07-v1.0-human-action'));
    expect(details).toMatchObject({
      type: 'human-action',
      title: 'Action Required',
      built: 'Created the Resend project and its DNS records',
      verification: 'the domain shows as verified in `resend domains list`',
      resumeKeywords: ['done'],
    });
    expect(details.actionSteps).toEqual([
      'Click the verification link Resend emailed to you',
      'Open the email from Resend and click "Verify domain"',
    ]);
  });

  it('worked example, authentication gate: detected while it waits', () => {
    const screen = excerpt(transcript, '[Create checkpoint dynamically]', '[Wait for user response]');
    const details = detected(screen);
    expect(details).toMatchObject({
      type: 'human-action',
      title: 'Authentication Required',
      progress: 'Task 3 of 8',
      task: 'Authenticate Vercel CLI',
      context: 'I tried to deploy but got authentication error.',
      verification: 'vercel whoami returns your account',
      resumeInstruction: 'Type "done" when authenticated',
      resumeKeywords: ['done'],
    });
    expect(details.actionSteps[0]).toBe('Run: vercel login');
  });

  it('worked example, authentication gate: not a stop once the agent goes on', () => {
    const screen = span(transcript, '[Create checkpoint dynamically]', 'Retrying deployment...');
    expect(detectCheckpoint(screen)).toBeNull();
  });

  it('segmented execution log: the compact block counts once its closing rule is out, not after', () => {
    const log = rest(transcript, '=== worked example: segmented');
    expect(log).toContain('User: "approved"');
    const waiting = span(transcript, '[1] Spawning subagent', 'How to verify: Check src/db/schema.ts');
    const closed = `${waiting}\n════════════════════════════════════════`;
    expect(detectCheckpoint(waiting)).toBeNull();
    expect(detected(closed)).toMatchObject({
      type: 'human-verify',
      title: 'Verification Required',
      progress: 'Task 4 of 8',
      task: 'Verify database schema',
      built: 'User and Session tables with relations',
      verifySteps: ['Check src/db/schema.ts for correct types'],
      resumeInstruction: null,
      resumeKeywords: ['approved'],
    });
    expect(detectCheckpoint(log)).toBeNull();
  });
});

describe('transcript 08: other stops and look-alikes', () => {
  const transcript = readTranscript('08');

  it('phase-level human verification: literal template is not a stop, filled in it is', () => {
    const template = excerpt(transcript, '```', '=== NOT A STOP: auto-advance', '=== STOP: phase-level');
    expect(detectCheckpoint(template)).toBeNull();
    const details = detected(readScreen('08-phase-human-verification'));
    expect(details).toMatchObject({
      type: 'human-verify',
      title: 'Phase 3: Dashboard — Human Verification Required',
      resumeInstruction: '"approved" → continue | Report issues → gap closure',
      resumeKeywords: ['approved'],
    });
    expect(details.verifySteps).toEqual([
      'Responsive layout — sidebar collapses on tablet',
      'Dark mode toggle — theme persists after reload',
    ]);
  });

  it('the auto-advance box is not a stop', () => {
    const box = excerpt(transcript, '```', '=== NOT A STOP (by itself)', '=== NOT A STOP: auto-advance');
    expect(box).toContain('AUTO-ADVANCING');
    expect(detectCheckpoint(box)).toBeNull();
    expect(detectCheckpoint(readScreen('08-auto-advance-filled'))).toBeNull();
  });

  it('a stage banner is not a stop, with or without the agent idle below it', () => {
    const banner = excerpt(transcript, '```', '```', '=== NOT A STOP (by itself)');
    expect(detectCheckpoint(banner)).toBeNull();
    expect(detectCheckpoint(banner.replace('{STAGE NAME}', 'EXECUTING PLAN 03-02'))).toBeNull();
  });

  it('Next Up: the command finished; reported as idle input with the suggested command', () => {
    const template = excerpt(transcript, '```', '=== ERROR box', '## Next Up Block');
    expect(template).toContain('## ▶ Next Up');
    expect(detectCheckpoint(template)).toBeNull();
    expect(detected(readScreen('08-next-up'))).toMatchObject({
      type: 'input',
      title: 'Next Up',
      task: 'Phase 4: API Endpoints — REST endpoints for sessions and checkpoints',
      nextCommand: '/gsd:execute-phase 4',
      resumeKeywords: [],
    });
  });

  it('the error box: literal template is not a stop, a filled one is a wait for a person', () => {
    const template = transcript.slice(transcript.indexOf('## Error Box'));
    expect(detectCheckpoint(template)).toBeNull();
    expect(detected(readScreen('08-error-box'))).toMatchObject({
      type: 'input',
      title: 'ERROR',
      context: 'ROADMAP.md not found in .planning/ To fix: run /gsd:new-project first',
    });
  });
});

describe('transcript 09: formats the old harness wrongly expected', () => {
  const transcript = readTranscript('09');

  it('its assumed formats (`CHECKPOINT: human-verify`, …) filled in are not GSD checkpoints', () => {
    for (const name of ['09-anchor-human-verify', '09-anchor-decision', '09-anchor-human-action']) {
      expect(detectCheckpoint(readScreen(name)), name).toBeNull();
    }
  });

  it('the lines its regexes look for are not stops by themselves', () => {
    expect(transcript).toContain("never prints 'CHECKPOINT: human-verify' or 'CHECKPOINT: decision'");
    for (const line of [
      'CHECKPOINT: human-verify',
      'CHECKPOINT: decision',
      'CHECKPOINT: human-action',
      'CHECKPOINT:verify',
    ]) {
      expect(detectCheckpoint(`Session started\n${line}\nRunning tests...`), line).toBeNull();
      expect(detectCheckpoint(line), line).toBeNull();
    }
  });

  // Its fake scripts end with real prompts, so those screens do wait for input; they are reported as
  // generic `input`, never as the GSD kind the old harness expected.
  it('its fake outputs are generic input prompts, not GSD checkpoint kinds', () => {
    const mcpTools = 'Session started\nCHECKPOINT: human-verify\nApprove? [y/n]:';
    expect(transcript).toContain("'Session started' / 'CHECKPOINT: human-verify' / 'Approve? [y/n]:'");
    expect(detected(mcpTools)).toMatchObject({
      type: 'input',
      title: 'Approve? [y/n]:',
      resumeKeywords: ['y', 'n'],
    });

    const plan = 'CHECKPOINT:verify\nPlan created: 5 tasks identified\nApprove plan? [yes/no]:';
    expect(detected(plan)).toMatchObject({ type: 'input', resumeKeywords: ['yes', 'no'] });

    const decision =
      'CHECKPOINT:decision\nFound 2 approaches:\n  1. Use existing pattern\n  2. Create new abstraction\nSelect option [1/2]:';
    const choice = detected(decision);
    expect(choice).toMatchObject({
      type: 'input',
      decision: 'Found 2 approaches:',
      resumeKeywords: ['1', '2'],
    });
    expect(choice.options.map((option) => [option.id, option.name])).toEqual([
      ['1', 'Use existing pattern'],
      ['2', 'Create new abstraction'],
    ]);

    const action =
      'CHECKPOINT:human-action\nManual step required:\n  Please verify the dashboard shows 3 sessions\nType done when ready:';
    expect(detected(action)).toMatchObject({ type: 'input', resumeKeywords: ['done'] });
  });
});

describe('transcript 10: resume signals found in real plans', () => {
  const transcript = readTranscript('10');
  const signals = rest(transcript, '== <resume-signal> values')
    .split('\n')
    .map((line) => /^\s+\d+ (\S.*)$/.exec(line)?.[1]?.trimEnd())
    .filter((signal): signal is string => signal !== undefined);

  /** A v1.5.9+ human-verify box ending with `signal`. */
  function boxWith(signal: string): string {
    return [
      '╔═══════════════════════════════════════════════════════╗',
      '║  CHECKPOINT: Verification Required                    ║',
      '╚═══════════════════════════════════════════════════════╝',
      '',
      'Progress: 4/5 tasks complete',
      'Task: Check the release',
      '',
      'Built: Release candidate',
      '',
      'How to verify:',
      '  1. Run the smoke test',
      '',
      '────────────────────────────────────────────────────────',
      `→ YOUR ACTION: ${signal}`,
      '────────────────────────────────────────────────────────',
    ].join('\n');
  }

  const expected: [string, string[]][] = [
    ['Type "session-verified"', ['session-verified']],
    ['Type "pushed" once trigger exists', ['pushed']],
    ['Type "pushed" once `block_categories`', ['pushed']],
    ['Type "published"', ['published']],
    ['Type "feature-mode-verified"', ['feature-mode-verified']],
    ['Type "done" when executed (or "skip" to defer)', ['done', 'skip']],
    ['Type "dashboard-verified"', ['dashboard-verified']],
    ['Type "approved" if test passed (or "skip" if no API key)', ['approved', 'skip']],
    ['Type "approved" if V1 targets met, or "failed"', ['approved', 'failed']],
    ['Type "approved" if all 7 verifications pass. Type "issue: ', ['approved']],
  ];

  it('lists every signal of the file', () => {
    expect(signals.length).toBe(36);
  });

  it('reads the keywords of every signal', () => {
    for (const signal of signals) {
      const details = detected(boxWith(signal));
      expect(details.type, signal).toBe('human-verify');
      expect(details.resumeInstruction, signal).toBe(signal);
      const special = expected.find(([prefix]) => signal.startsWith(prefix));
      if (special !== undefined) expect(details.resumeKeywords, signal).toEqual(special[1]);
      else
        expect(details.resumeKeywords, signal).toEqual([
          signal.startsWith('Type "pushed"') ? 'pushed' : 'approved',
        ]);
    }
  });

  it('the checkpoint task tags (a plan file) are not stops', () => {
    const tags = excerpt(transcript, '== checkpoint task tags', '== <resume-signal>');
    expect(detectCheckpoint(tags)).toBeNull();
  });
});
