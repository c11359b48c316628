type ClosedHandler = () => void;

let onClosed: ClosedHandler | undefined;

/**
 * What to do when the reader of stdout goes away (EPIPE, e.g. `| head`): a command may take over;
 * otherwise the process exits quietly.
 */
export function onStdoutClosed(handler: ClosedHandler | undefined): void {
  onClosed = handler;
}

export function watchStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (onClosed !== undefined) onClosed();
    else process.exit(process.exitCode ?? 0);
  });
}
