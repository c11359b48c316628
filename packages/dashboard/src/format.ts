/** `3s`, `4m 05s`, `2h 07m`: precise while short, coarse once long. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** How long a session ran, or has run so far. */
export function elapsedMs(startedAt: string, endedAt: string | null, now: number): number {
  const end = endedAt === null ? now : Date.parse(endedAt);
  return end - Date.parse(startedAt);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

/** A command on one line in at most `max` characters; the middle goes, since prompts end a command. */
export function shortCommand(command: string, max = 70): string {
  const line = command.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const head = Math.floor((max - 1) * 0.4);
  return `${line.slice(0, head)}…${line.slice(line.length - (max - 1 - head))}`;
}

/** The last two folders of a path, enough to tell projects apart. */
export function shortDir(path: string): string {
  const parts = path.split('/').filter((part) => part !== '');
  return parts.length <= 2 ? path : `…/${parts.slice(-2).join('/')}`;
}
