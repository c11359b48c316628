// Load generator for the server benchmark: prints base64 text at a steady rate, then exits.
//
//   node bench/emit.mjs <bytes-per-second> <seconds>
//
// Writes one CHUNK_BYTES chunk (lines of 99 characters and \n) every CHUNK_BYTES / rate seconds,
// catching up against the wall clock, so that it prints exactly rate * seconds bytes in `seconds`.
// Writes to a pipe block on Linux, so a slow reader slows it down (and shows in the measured rate).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const CHUNK_BYTES = 10_000;

const [rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
if (!(rate >= CHUNK_BYTES) || !(seconds > 0)) {
  process.stderr.write('usage: node bench/emit.mjs <bytes-per-second (>= 10000)> <seconds>\n');
  process.exit(2);
}

// A reader that goes away ends the generator.
process.stdout.on('error', () => process.exit(1));

const LINE = 100;
const chunks = Array.from({ length: 8 }, () => {
  const text = randomBytes((CHUNK_BYTES / LINE) * 75).toString('base64');
  const lines = [];
  for (let i = 0; i < CHUNK_BYTES / LINE; i++) lines.push(text.slice(i * (LINE - 1), (i + 1) * (LINE - 1)));
  return Buffer.from(`${lines.join('\n')}\n`);
});

const totalChunks = Math.round((rate * seconds) / CHUNK_BYTES);
const intervalMs = (CHUNK_BYTES / rate) * 1000;
const start = performance.now();
let written = 0;

function tick() {
  const elapsed = performance.now() - start;
  const due = Math.min(totalChunks, Math.floor(elapsed / intervalMs) + 1);
  while (written < due) {
    process.stdout.write(chunks[written % chunks.length]);
    written++;
  }
  if (written >= totalChunks) return;
  setTimeout(tick, Math.max(0, written * intervalMs - (performance.now() - start)));
}

tick();
