import { stripAnsi, type SessionMode } from '@gsd/core';
import { SessionError } from '../errors.js';
import type { OutputSlice } from '../db/output-store.js';
import { renderScreen, screenText } from '../screen/render-screen.js';
import { DEFAULT_COLS, DEFAULT_ROWS } from '../session-manager.js';

export type OutputFormat = 'raw' | 'text' | 'screen';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['raw', 'text', 'screen'];

/** Bytes returned when the request names no size. */
export const DEFAULT_WINDOW_BYTES = 16 * 1024;
/** Largest window one request may ask for. */
export const MAX_WINDOW_BYTES = 256 * 1024;
/** Output replayed into a headless terminal to rebuild a screen. */
export const SCREEN_REPLAY_BYTES = 512 * 1024;

export interface OutputRequest {
  /** The last N bytes (exclusive with `fromOffset`). */
  tailBytes?: number;
  /** Read forward from this byte offset. */
  fromOffset?: number;
  /** Size of a forward read (default DEFAULT_WINDOW_BYTES). */
  maxBytes?: number;
  format?: OutputFormat;
}

export interface OutputWindow {
  format: OutputFormat;
  data: string;
  /** Byte range of the session's output that `data` covers. */
  fromOffset: number;
  nextOffset: number;
  totalBytes: number;
}

/** Where output comes from: the persistent manager satisfies this. */
export interface OutputSource {
  getSession(sessionId: string): { cols: number | null; rows: number | null; mode?: SessionMode } | undefined;
  tailOutput(sessionId: string, bytes: number): OutputSlice;
  readOutput(sessionId: string, fromOffset: number, maxBytes: number): OutputSlice;
  /** The screen of a live session from its mirror, when the source keeps one. */
  liveScreen?(sessionId: string): Promise<string | undefined>;
}

function checkSize(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected ${name} to be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
}

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** Trims a slice to whole UTF-8 characters so that paging never splits one. */
function alignToCharacters(slice: OutputSlice): OutputSlice {
  let start = 0;
  while (start < 3 && start < slice.data.length && isContinuationByte(slice.data[start])) start++;
  let end = slice.data.length;
  if (slice.nextOffset < slice.totalBytes) {
    // Step back over a character whose last bytes are past the window.
    let lead = end - 1;
    while (lead > start && lead > end - 4 && isContinuationByte(slice.data[lead])) lead--;
    const byte = slice.data[lead] ?? 0;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (lead + length > end) end = lead;
    // Never return an empty window (a reader paging on nextOffset would stall): keep the cut character.
    if (end <= start) end = slice.data.length;
  }
  return {
    data: slice.data.subarray(start, end),
    fromOffset: slice.fromOffset + start,
    nextOffset: slice.fromOffset + end,
    totalBytes: slice.totalBytes,
  };
}

/** Reads a bounded window of a session's output as raw text, ANSI-stripped text, or the current screen. */
export async function readOutputWindow(
  source: OutputSource,
  sessionId: string,
  request: OutputRequest = {},
): Promise<OutputWindow> {
  const format = request.format ?? 'raw';
  if (!OUTPUT_FORMATS.includes(format)) {
    throw new SessionError(
      'INVALID_ARGUMENT',
      `Expected format to be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  checkSize('tailBytes', request.tailBytes, 0, MAX_WINDOW_BYTES);
  checkSize('fromOffset', request.fromOffset, 0, Number.MAX_SAFE_INTEGER);
  checkSize('maxBytes', request.maxBytes, 1, MAX_WINDOW_BYTES);
  if (request.tailBytes !== undefined && request.fromOffset !== undefined) {
    throw new SessionError('INVALID_ARGUMENT', 'Give either tailBytes or fromOffset, not both');
  }
  const session = source.getSession(sessionId);
  if (session === undefined) {
    throw new SessionError('SESSION_NOT_FOUND', `No session with id ${JSON.stringify(sessionId)}`);
  }

  if (format === 'screen') {
    const live = await source.liveScreen?.(sessionId);
    if (live !== undefined) {
      const total = source.tailOutput(sessionId, 0).totalBytes;
      return { format, data: live, fromOffset: total, nextOffset: total, totalBytes: total };
    }
    const slice = source.tailOutput(sessionId, SCREEN_REPLAY_BYTES);
    const snapshot = await renderScreen(
      slice.data,
      session.cols ?? DEFAULT_COLS,
      session.rows ?? DEFAULT_ROWS,
      { convertEol: session.mode === 'pipe' },
    );
    return { format, data: screenText(snapshot), ...offsetsOf(slice) };
  }
  const maxBytes = request.maxBytes ?? DEFAULT_WINDOW_BYTES;
  const slice = alignToCharacters(
    request.fromOffset !== undefined
      ? source.readOutput(sessionId, request.fromOffset, maxBytes)
      : source.tailOutput(sessionId, request.tailBytes ?? maxBytes),
  );
  const text = slice.data.toString('utf8');
  return { format, data: format === 'text' ? stripAnsi(text) : text, ...offsetsOf(slice) };
}

function offsetsOf(slice: OutputSlice): Pick<OutputWindow, 'fromOffset' | 'nextOffset' | 'totalBytes'> {
  return { fromOffset: slice.fromOffset, nextOffset: slice.nextOffset, totalBytes: slice.totalBytes };
}
