/** The summary of a campaign: one row per repository, as a table or as JSON. */
import type { RepositoryOutcome } from './outcome';

const HEADERS = ['repository', 'steps', 'files', 'markers', 'verify', 'branch', 'outcome'];

function row(outcome: RepositoryOutcome): string[] {
  return [
    outcome.repository,
    String(outcome.steps.length),
    String(outcome.files),
    String(outcome.markers.length),
    outcome.verify,
    outcome.branch ?? '-',
    outcome.reason === undefined ? outcome.outcome : `${outcome.outcome}: ${outcome.reason}`,
  ];
}

/** A plain-text table, columns padded to their widest cell (the last one is not padded). */
export function summaryTable(outcomes: readonly RepositoryOutcome[]): string {
  const rows = [HEADERS, ...outcomes.map(row)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

export function summaryJson(outcomes: readonly RepositoryOutcome[]): string {
  return JSON.stringify({ repositories: outcomes }, null, 2);
}
