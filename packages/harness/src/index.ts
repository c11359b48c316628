export { runCommand, exitStatusOf } from './commands/run.js';
export { listCommand } from './commands/ls.js';
export { logsCommand } from './commands/logs.js';
export { formatDuration, renderTable, truncate } from './format.js';
