export * from './session.js';
export * from './events.js';
export * from './recovery.js';
