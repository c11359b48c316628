export * from './session.js';
export * from './events.js';
export * from './recovery.js';
export * from './text/strip-ansi.js';
export * from './text/shell-quote.js';
export * from './checkpoint/types.js';
export * from './planning/types.js';
