/**
 * The pull-request description of one repository's campaign branch: plain Markdown that any forge
 * takes as it is — the steps with their commits, the markers left with file:line, how to verify
 * and how to revert. Everything it says comes from the branch's commits (each step's verify from
 * its trailer), so a run that made no step cannot claim a verify it did not run.
 */
import { basename, isAbsolute, relative } from 'node:path';
import type { RepositoryOutcome } from './outcome';

/** The manifest as the description names it: relative to the repository when it is inside. */
function manifestPath(manifest: string, root: string): string {
  const inside = relative(root, manifest);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : manifest;
}

export function pullRequestText(
  outcome: RepositoryOutcome,
  options: { manifest: string | undefined; root: string },
): string {
  const { steps, markers } = outcome;
  const count = `${steps.length} step${steps.length === 1 ? '' : 's'}`;
  const manifest =
    options.manifest === undefined ? undefined : manifestPath(options.manifest, options.root);
  const verifies = [...new Set(steps.map((s) => s.verify))];
  const [only] = verifies;
  const verifyLine =
    verifies.length === 1 && only === undefined
      ? '; no verify command was given to the campaign'
      : verifies.length === 1
        ? `, made once \`${only}\` passed on it`
        : ', made once the verify named with it passed (none where none is named)';
  const reverted = outcome.reverted ?? [];
  const lines = [
    options.manifest === undefined
      ? `# Consolidate onto unified-ws (${count})`
      : `# Migrate imports (manifest ${basename(options.manifest)}, ${count})`,
    '',
    `Made by \`unified-ws campaign\` on \`${outcome.branch}\` from \`${outcome.base}\`${manifest === undefined ? '' : ` with the manifest \`${manifest}\``}. Each step rewrites the legacy uses of one deprecation code (or one directory) with the codemod and is one commit${verifyLine}.`,
    '',
    '## Steps',
    '',
    ...steps.map(
      (s) =>
        `- \`${s.commit.slice(0, 10)}\` ${s.id}: ${s.subject}${verifies.length > 1 && s.verify !== undefined ? ` (verified: \`${s.verify}\`)` : ''}`,
    ),
    ...(reverted.length === 0
      ? []
      : ['', `Reverted on this branch, and left out by the campaign: ${reverted.join(', ')}.`]),
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
    verifies.length === 1 && only !== undefined
      ? `- \`${only}\` (the campaign ran it after each step).`
      : '- Run your type-check and tests on this branch.',
    `- \`npx unified-ws check${manifest === undefined ? '' : ` --manifest ${manifest}`}\` lists the legacy uses still left.`,
    '',
    '## How to revert',
    '',
    `- One step: on this branch (\`git checkout ${outcome.branch}\`), \`npx unified-ws revert <step>\` (the step ids above; each commit carries a \`Unified-Ws-Step\` trailer). The campaign then leaves that step out when it runs again.`,
    '- Everything: close this pull request and delete the branch.',
    '',
  ];
  return lines.join('\n');
}
