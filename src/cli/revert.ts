import { dirtyFiles, git, isGitRepository, stepCommit, stepCommits } from '../migration/git';
import { clearJournal, readJournal, removeStrayTemporaries } from '../migration/journal';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, parse } from './parse';

const usage = `Usage: unified-ws revert <step-id | --last> [path] [--json]

Undoes one migration step exactly: a \`git revert\` of its commit, which works under later commits
that do not touch the same lines. When they do, nothing is changed and the conflicting files are
named. After a killed \`migrate\`, --last restores the files of the interrupted step.

Exit codes: 0 reverted, 1 conflict with later changes (nothing changed), 2 usage or input error.`;

export const revert: Command = {
  summary: 'undo one migration step exactly',
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
    const interrupted = readJournal(root)?.step;
    if (values.last && interrupted) {
      removeStrayTemporaries(root, interrupted.files);
      git(root, ['checkout', '--', ...interrupted.files]);
      clearJournal(root);
      io.stdout.write(
        values.json
          ? `${JSON.stringify({ restored: interrupted.id, files: interrupted.files })}\n`
          : `restored ${count(interrupted.files.length, 'file')} of interrupted step ${interrupted.id}\n`,
      );
      return EXIT.OK;
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
        `the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}): commit or stash them first`,
      );
    const result = git(
      root,
      [
        '-c',
        'user.name=unified-ws',
        '-c',
        'user.email=unified-ws@localhost',
        'revert',
        '--no-edit',
        target.commit,
      ],
      true,
    );
    if (result.status !== 0) {
      const conflicts = git(root, ['diff', '--name-only', '--diff-filter=U'], true)
        .stdout.trim()
        .split('\n')
        .filter(Boolean);
      git(root, ['revert', '--abort'], true);
      throw new ExitError(
        EXIT.FAILURE,
        `step ${target.step} conflicts with later changes in ${conflicts.join(', ') || 'the same files'}: nothing was changed; resolve by hand or revert the later commits first`,
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
