#!/usr/bin/env node
// Commands are loaded when run, so that `run` does not carry the server's code (and its memory).
import { Command, CommanderError, Option } from 'commander';
import { CliError } from './errors.js';
import { watchStdout } from './stdout.js';

const dbOption = (): Option =>
  new Option('--db <path>', 'session database (default: $GSD_HARNESS_DB or ~/.gsd-harness/sessions.db)');

function buildProgram(): Command {
  const program = new Command('gsd-harness')
    .description('Run agent and shell sessions in parallel, record everything they print, and answer them.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('run')
    .description('Run a command as a recorded session, showing its output here; exits with its status')
    .usage('[options] -- <command...>')
    .option('--pty', 'run on a pseudo-terminal (for interactive and full-screen programs)')
    .option('--dir <dir>', 'working directory (default: the current directory)')
    .addOption(dbOption())
    .argument('<command...>', 'shell command line (put it after `--`)')
    .addHelpText(
      'after',
      [
        '',
        'One word after `--` is run as a shell command line; several words are a program and its',
        'arguments, passed exactly.',
        '',
        'Examples:',
        '  gsd-harness run -- echo hello',
        "  gsd-harness run -- 'npm test 2>&1 | tail -n 20'",
        '  gsd-harness run --pty --dir ~/project -- claude',
        '',
      ].join('\n'),
    )
    .action(async (words: string[], options) => {
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await runCommand(words, options);
    });

  program
    .command('ls')
    .description('List recent sessions: id, status, exit, dir, started, duration, command')
    .option('--status <status>', 'only sessions with this status (running, waiting, completed, failed, idle)')
    .option('--limit <n>', 'how many sessions to show, newest first', '20')
    .option('--json', 'print JSON instead of a table')
    .option('--orphans', 'durable sessions still running with no harness attached for longer than --grace')
    .option('--grace <seconds>', 'grace period for --orphans (default: $GSD_HARNESS_ORPHAN_GRACE_S or 60)')
    .addOption(dbOption())
    .action(async (options) => (await import('./commands/ls.js')).listCommand(options));

  program
    .command('logs')
    .description("Print a session's recorded output, byte for byte")
    .argument('<id>', 'session id, or the start of one as `ls` shows')
    .option('--tail <bytes>', 'only the last BYTES bytes')
    .option('-f, --follow', 'keep printing new output until the session ends')
    .addOption(dbOption())
    .action(async (id: string, options) => (await import('./commands/logs.js')).logsCommand(id, options));

  program
    .command('respond')
    .description('Answer the checkpoint a session waits at (the response and one Enter are typed into it)')
    .argument('<id>', 'session id, or the start of one as `ls` shows')
    .argument('<response...>', 'the answer, e.g. approved, an option id, done, or what is wrong')
    .addOption(dbOption())
    .addHelpText('after', '\nThe session must be run by the harness server (gsd-harness start).\n')
    .action(async (id: string, words: string[], options) =>
      (await import('./commands/respond.js')).respondCommand(id, words, options),
    );

  program
    .command('resume')
    .description("Continue an ended agent session's conversation in a new session (claude --resume)")
    .argument(
      '<id>',
      'session id, or the start of one as `ls` shows; it must have been started from a prompt',
    )
    .argument('[prompt...]', 'next message for the conversation')
    .option('--foreground', 'run it on this terminal even when a harness server is running')
    .addOption(dbOption())
    .addHelpText(
      'after',
      [
        '',
        'The new session runs in the same directory and is linked to the old one (`ls` shows "resumes <id>").',
        'With a harness server running (gsd-harness start) on this database, the server runs it and its id is',
        'printed; otherwise it runs here, on a terminal of your size, like `run --pty`, and exits with its status.',
        '',
        'Examples:',
        '  gsd-harness resume 1a2b3c4d',
        "  gsd-harness resume 1a2b3c4d 'the tests pass now, go on with task 3'",
        '',
      ].join('\n'),
    )
    .action(async (id: string, words: string[], options) => {
      const { resumeCommand } = await import('./commands/resume.js');
      process.exitCode = await resumeCommand(id, words, options);
    });

  program
    .command('start')
    .description('Run the harness server: REST API, WebSocket events and MCP over HTTP, behind a token')
    .option('--port <port>', 'port to listen on (default: $GSD_HARNESS_PORT or 3333; 0 picks a free one)')
    .option(
      '--host <address>',
      'address to bind (default 127.0.0.1; anything else is reachable from the network)',
    )
    .option('--max-sessions <n>', 'sessions running at once (default: $GSD_HARNESS_MAX_SESSIONS or 3)')
    .option('--allow-host <names...>', 'more host names the server answers to (e.g. a DNS name for --host)')
    .addOption(dbOption())
    .action(async (options) => (await import('./commands/start.js')).startCommand(options));

  program
    .command('mcp')
    .description('Serve the gsd_* MCP tools over stdio (for `claude mcp add gsd -- gsd-harness mcp`)')
    .option('--standalone', 'do not use a running harness server; run sessions in this process')
    .option('--max-sessions <n>', 'sessions running at once when standalone (default 3)')
    .addOption(dbOption())
    .addHelpText(
      'after',
      '\nWith a harness server running (gsd-harness start) this relays to it, so every client sees the same\n' +
        'sessions; otherwise (or with --standalone or --db) it runs sessions itself on the same database.\n',
    )
    .action(async (options) => (await import('./commands/mcp.js')).mcpCommand(options));

  program
    .command('state')
    .description("Show a GSD project's state from its .planning files: phases, position, next action")
    .argument('[dir]', 'project directory, the one holding .planning (default: the current directory)')
    .option('--json', 'print the state as JSON')
    .action(async (dir: string | undefined, options) =>
      (await import('./commands/state.js')).stateCommand(dir, options),
    );

  program
    .command('attach')
    .description('Attach this terminal to a durable session: its screen, then live output; keys go to it')
    .argument('<id>', 'session id, or the start of one as `ls` shows')
    .option('--tail <bytes>', 'for an ended session, how much of the end of its output to print', '16384')
    .addOption(dbOption())
    .addHelpText(
      'after',
      [
        '',
        'Detach with Ctrl-] (the session keeps running). Several terminals can attach at once; the',
        "terminal size last set by any of them is the session's. Sessions started by the harness",
        'server are durable; an ended session prints the end of its output instead.',
        '',
      ].join('\n'),
    )
    .action(async (id: string, options) => {
      process.exitCode = await (await import('./commands/attach.js')).attachCommand(id, options);
    });

  program
    .command('end')
    .description('End a session: SIGTERM to its process group, then SIGKILL if it has not exited in time')
    .argument('<id>', 'session id, or the start of one as `ls` shows')
    .addOption(dbOption())
    .addHelpText(
      'after',
      '\nA durable session is ended through its host, with or without a harness server running.\n',
    )
    .action(async (id: string, options) => (await import('./commands/end.js')).endCommand(id, options));

  return program;
}

async function main(): Promise<void> {
  // A reader that goes away (`gsd-harness logs … | head`) is not an error.
  watchStdout();
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`gsd-harness: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof Error && error.name === 'SessionError') {
      process.stderr.write(`gsd-harness: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

await main();
