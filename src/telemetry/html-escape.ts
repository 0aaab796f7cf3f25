// The one escape of the HTML report: every string of the model came from telemetry that many hosts
// wrote, so each one is cleaned of what is not text and escaped before it reaches the page.

import { truncate } from './html-format';
import { UNSAFE_TEXT } from './terminal';

/** ANSI escape sequences (CSI and OSC), removed whole so that no `[31m` is left behind. */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
/**
 * The string as text a person can read: ANSI sequences removed, then every character the terminal
 * view refuses too (terminal.ts's UNSAFE_TEXT: controls, bidi, zero-width) but tab and line feed,
 * which HTML shows as spaces; a lone surrogate becomes U+FFFD, as a decoder shows it.
 */
export function cleanText(value: unknown): string {
  return String(value ?? '')
    .replace(ANSI, '')
    .replace(UNSAFE_TEXT, (c) =>
      c === '\t' || c === '\n'
        ? c
        : c.length === 1 && c >= '\ud800' && c <= '\udfff'
          ? '\ufffd'
          : '',
    );
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
  const shown = truncate(text, MAX_SHOWN);
  const html = escapeHtml(shown).replace(/\//g, '/<wbr>');
  return shown === text ? html : `<span title="${escapeHtml(text)}">${html}</span>`;
}

/** The longest telemetry string shown whole in the page. */
const MAX_SHOWN = 120;
