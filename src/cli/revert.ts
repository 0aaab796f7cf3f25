import {
  dirtyFiles,
  git,
  IDENTITY_HELP,
  isGitRepository,
  missingIdentity,
  stepCommit,
  stepCommits,
} from '../migration/git';
import { clearJournal, readJournal, rollBack, stepCommitted } from '../migration/journal';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, parse } from './parse';

const usage = `Usage: unified-ws revert <step-id | --last> [path] [--json]

Undoes one step of migrate or shim exactly (ids like UWS004, dir:src or shim:ACME001): a \`git
revert\` of its commit, made as you (your git identity and hooks), which works under later commits
that do not touch the same lines. When they do, nothing is changed and the conflicting files are
named. After a killed \`migrate\` or \`shim\`, --last restores every file of the interrupted step
byte for byte from the journal in .unified-ws/.

Exit codes: 0 reverted, 1 conflict with later changes or refused by git (nothing changed), 2 usage
or input error (no git identity, a dirty tree, an unknown step), 3 files of an interrupted step
that could not be restored (they are named; the journal is kept).`;

export const revert: Command = {
  summary: 'undo one step of migrate or shim exactly',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { last: { type: 'boolean' }, json: { type: 'boolean' } },
      'revert',
    );
    const stepId = values.last ? undefined : positionals.shift();
    if (!values.last && !stepId)
      throw new ExitError(EXIT.USAGE, `name a step, or --last\n\n${usage}`);
    const root = directoryArgument(positionals[0]);
    if (!isGitRepository(root)) throw new ExitError(EXIT.USAGE, `${root} is not a git repository`);
    let journal = readJournal(root);
    if (values.last && journal) {
      const { step } = journal;
      // A step whose commit landed before the run stopped is reverted like any other (below).
      if (stepCommitted(root, step)) {
        clearJournal(root);
        journal = undefined;
      } else {
        const restored = rollBack(root, journal);
        if (restored.failed.length > 0)
          throw new ExitError(
            EXIT.ROLLBACK_INCOMPLETE,
            `${count(restored.failed.length, 'file')} of interrupted step ${step.id} could not be restored (the journal is kept in .unified-ws/):\n${restored.failed.map((f) => `  ${f.path}: ${f.reason}`).join('\n')}\nclear what is in their way, then run \`unified-ws revert --last\` again`,
          );
        const files = [...restored.restored, ...restored.unchanged];
        io.stdout.write(
          values.json
            ? `${JSON.stringify({ restored: step.id, files })}\n`
            : `restored ${count(files.length, 'file')} of interrupted step ${step.id}\n`,
        );
        return EXIT.OK;
      }
    }
    const target = values.last
      ? stepCommits(root)[0]
      : stepId && stepCommit(root, stepId)
        ? { commit: stepCommit(root, stepId) as string, step: stepId }
        : undefined;
    if (!target)
      throw new ExitError(
        EXIT.USAGE,
        values.last ? 'no migration step to revert' : `no migration commit for step "${stepId}"`,
      );
    const dirty = dirtyFiles(root);
    if (dirty.length > 0)
      throw new ExitError(
        EXIT.USAGE,
        `the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')})${journal ? `, left by interrupted step ${journal.step.id} (\`unified-ws revert --last\` or \`unified-ws migrate --abort\` restores them)` : ''}: commit or stash them first`,
      );
    const missing = missingIdentity(root);
    if (missing)
      throw new ExitError(
        EXIT.USAGE,
        `git does not know who you are (${missing}), and revert commits as you: ${IDENTITY_HELP}`,
      );
    const result = git(root, ['revert', '--no-edit', target.commit], true);
    if (result.status !== 0) {
      const conflicts = git(root, ['diff', '--name-only', '--diff-filter=U'], true)
        .stdout.trim()
        .split('\n')
        .filter(Boolean);
      git(root, ['revert', '--abort'], true);
      throw new ExitError(
        EXIT.FAILURE,
        conflicts.length > 0 || /conflict/i.test(result.stdout + result.stderr)
          ? `step ${target.step} conflicts with later changes in ${conflicts.join(', ') || 'the same files'}: nothing was changed; resolve by hand or revert the later commits first`
          : `git refused to revert step ${target.step} (a commit hook?): nothing was changed\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-40).join('\n')}`,
      );
    }
    const revertCommit = git(root, ['rev-parse', 'HEAD']).stdout.trim();
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ reverted: target.step, commit: target.commit, revertCommit })}\n`
        : `reverted step ${target.step} (${target.commit.slice(0, 10)})\n`,
    );
    return EXIT.OK;
  },
};
