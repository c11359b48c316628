// CSI (ESC [ or 0x9B) parameters, intermediates and a final byte; OSC/DCS/APC/PM/SOS strings up to
// BEL or ST; two-character ESC sequences; and remaining C0 controls except tab and newline.
const ANSI_PATTERN = new RegExp(
  [
    '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]',
    '(?:\\u001b[\\]PX^_]|[\\u0090\\u009d-\\u009f])[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c)',
    '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]',
    '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001a\\u001c-\\u001f\\u007f]',
  ].join('|'),
  'g',
);

/**
 * Removes terminal escape sequences and control characters from `text`, and turns CRLF into LF.
 * A lone carriage return (a line redrawn in place) becomes a line break so no text is hidden.
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '').replace(/\r+\n/g, '\n').replace(/\r/g, '\n');
}
