// Text that came from telemetry (call sites, host names, entry points) or from a repository (file
// names), made safe to write to a terminal: many hosts wrote it, and a terminal obeys what it is
// sent — an ESC sequence recolours or rewrites the screen, U+202E turns a line around.

/**
 * The characters that are no text: C0 controls (tab and line feed included: one value is one
 * line), DEL, C1 controls (U+009B is a CSI on its own), the bidi controls (U+061C, U+200E–U+200F,
 * U+202A–U+202E, U+2066–U+2069), the line and paragraph separators, the zero-width characters
 * and the interlinear annotations, and lone surrogates.
 */
export const UNSAFE_TEXT =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The string with each unsafe character written as its escape (`\x1b`, `\u202e`): what was there
 * stays visible, and nothing reaches the terminal raw. An ESC sequence loses its ESC, so the rest
 * (`[31m`) is plain text.
 */
export function forTerminal(value: unknown): string {
  return String(value ?? '').replace(UNSAFE_TEXT, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
