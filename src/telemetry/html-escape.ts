// The one escape of the HTML report: every string of the model came from telemetry that many hosts
// wrote, so each one is cleaned of what is not text and escaped before it reaches the page.

/** ANSI escape sequences (CSI and OSC), removed whole so that no `[31m` is left behind. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
/**
 * Characters that are not text: C0 and C1 controls (tab and line feed excepted), and the bidi
 * controls that would make a string read as something else (U+202E turns `exe.txt` around).
 */
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Lone surrogates, which no encoder can write: each becomes U+FFFD, as a decoder would show it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string as text a person can read: ANSI sequences, control and bidi characters removed. */
export function cleanText(value: unknown): string {
  return String(value ?? '')
    .replace(ANSI, '')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The one escape of the page, for text and for quoted attribute values alike: `cleanText`, then
 * the five characters that HTML gives a meaning to as entities.
 */
export function escapeHtml(value: unknown): string {
  return cleanText(value).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/**
 * A path or module name as HTML text (never an attribute): escaped, with a line break allowed after
 * each slash, so that a narrow cell breaks `chat-backend/src/` before `server.ts:88:13`.
 */
export function pathHtml(value: unknown): string {
  // A path longer than any real one is cut (its whole text in a tooltip): one hostile value must
  // not fill the page.
  const text = cleanText(value);
  const shown =
    Array.from(text).length > MAX_SHOWN
      ? `${Array.from(text)
          .slice(0, MAX_SHOWN - 1)
          .join('')}…`
      : text;
  const html = escapeHtml(shown).replace(/\//g, '/<wbr>');
  return shown === text ? html : `<span title="${escapeHtml(text)}">${html}</span>`;
}

/** The longest telemetry string shown whole in the page. */
const MAX_SHOWN = 120;
