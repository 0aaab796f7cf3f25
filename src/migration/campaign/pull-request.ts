/**
 * The pull-request description of one repository's campaign branch: plain Markdown that any forge
 * takes as it is — the steps with their commits, the markers left with file:line, how to verify
 * and how to revert.
 */
import type { RepositoryOutcome } from './outcome';

export function pullRequestText(
  outcome: RepositoryOutcome,
  options: { verify: string | undefined },
): string {
  const { steps, markers } = outcome;
  const lines = [
    `# Consolidate onto unified-ws (${steps.length} step${steps.length === 1 ? '' : 's'})`,
    '',
    `Made by \`unified-ws campaign\` on \`${outcome.branch}\` from \`${outcome.base}\`. Each step rewrites the legacy uses of one deprecation code (or one directory) with the codemod and is one commit${options.verify === undefined ? '; no verify command was given to the campaign' : `, made once \`${options.verify}\` passed on it`}.`,
    '',
    '## Steps',
    '',
    ...steps.map((s) => `- \`${s.commit.slice(0, 10)}\` ${s.id}: ${s.subject}`),
    '',
    `${outcome.files} file${outcome.files === 1 ? '' : 's'} changed.`,
    '',
    '## Left to migrate by hand',
    '',
    ...(markers.length === 0
      ? ['Nothing: no marker is left.']
      : [
          `${markers.length} marker${markers.length === 1 ? '' : 's'}, each a \`// unified-ws(CODE):\` comment saying what to do:`,
          '',
          ...markers.map((m) => `- \`${m.file}:${m.line}\` ${m.text.replace(/^\/\/\s*/, '')}`),
        ]),
    '',
    '## How to verify',
    '',
    options.verify === undefined
      ? '- Run your type-check and tests on this branch.'
      : `- \`${options.verify}\` (the campaign ran it after each step).`,
    '- `npx unified-ws check` lists the legacy uses still left.',
    '',
    '## How to revert',
    '',
    '- One step: `npx unified-ws revert <step>` (the step ids above; each commit carries a `Unified-Ws-Step` trailer).',
    '- Everything: close this pull request and delete the branch.',
    '',
  ];
  return lines.join('\n');
}
