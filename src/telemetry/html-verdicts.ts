// The verdicts in the HTML report: their labels, their words in the summary line, their colours.

import type { Verdict } from './model';
import { count } from './html-format';

export interface VerdictStyle {
  /** The verdict in the legend and the rows. */
  label: string;
  /** Its part of the summary line, for n codes. */
  summary: (n: number) => string;
  colour: string;
}

// Colours told apart with the common colour-vision deficiencies too: the label is always beside.
export const VERDICTS: Record<Verdict, VerdictStyle> = {
  'safe-to-remove': {
    label: 'safe to remove',
    summary: (n) => `${count(n)} removable`,
    colour: '#15803d',
  },
  'in-use': { label: 'in use', summary: (n) => `${count(n)} in use`, colour: '#c2410c' },
  quiet: { label: 'quiet', summary: (n) => `${count(n)} quiet`, colour: '#a16207' },
  'still-imported': {
    label: 'still imported',
    summary: (n) => `${count(n)} still imported`,
    colour: '#7c3aed',
  },
  'not-enough-data': {
    label: 'not enough data',
    summary: (n) => `${count(n)} ${n === 1 ? 'needs' : 'need'} more data`,
    colour: '#64748b',
  },
};
export const VERDICT_ORDER: Verdict[] = [
  'safe-to-remove',
  'in-use',
  'quiet',
  'still-imported',
  'not-enough-data',
];
const UNKNOWN: VerdictStyle = { label: 'unknown', summary: () => '', colour: '#334155' };

/** A verdict's style; a value outside the five (never from a valid model) is shown as unknown. */
export function style(verdict: string): VerdictStyle {
  return Object.prototype.hasOwnProperty.call(VERDICTS, verdict)
    ? VERDICTS[verdict as Verdict]
    : UNKNOWN;
}
