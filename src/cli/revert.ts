import { isUnifiedWsError } from '../errors/unified-ws-error';
import {
  dirtyFiles,
  git,
  IDENTITY_HELP,
  isGitRepository,
  missingIdentity,
  stepHistory,
  type StepCommit,
} from '../migration/git';
import {
  clearJournal,
  planUntrackedRestore,
  readJournal,
  restoreUntracked,
  rollBack,
  stepCommitted,
  type UntrackedFilePlan,
} from '../migration/journal';
import type { Command, CommandIO } from './command';
import { EXIT, ExitError, exitCodeOf } from './exit-error';
import { count } from './format';
import { directoryArgument, parse } from './parse';

const usage = `Usage: unified-ws revert <step-id | --last> [path] [--json]

Undoes one step of migrate or shim exactly (ids like UWS004, dir:src or shim:ACME001): a \`git
revert\` of its commit, made as you (your git identity and hooks), which works under later commits
that do not touch the same lines. When they do, nothing is changed and the conflicting files are
named. --last takes the newest step that is not reverted yet (a step is reverted when a later
commit says "This reverts commit <its sha>", as \`git revert\` writes, and that revert is not
reverted in turn). After a killed \`migrate\` or \`shim\`, --last restores every file of the
interrupted step byte for byte from the journal in .unified-ws/.

Untracked files a step rewrote (migrate --include-untracked) are in no commit: revert puts back
their bytes from before the step from the record its commit names (trailer Unified-Ws-Untracked,
a file under .unified-ws/untracked/). It refuses, changing nothing, when one of them changed
since the step or the record is gone, and says what to do; one deleted since stays deleted.
Untracked files are never uncommitted changes that stop it.

With --json the answer is JSON on stdout whatever happens: {"reverted", "commit", "revertCommit"}
or {"error": {"reason", "message", …}} (reasons: nothing-to-revert, already-reverted,
unknown-step, conflict, empty, refused, uncommitted-changes, untracked-changed,
untracked-record-missing, usage, …); a revert with untracked files adds {"untracked": {"record",
"restored", "unchanged", "gone"}}.

Exit codes: 0 reverted, 1 conflict with later changes, refused by git, or a revert that would
change nothing (nothing changed), 2 usage or input error (no git identity, a dirty tree, an
unknown step, a step already reverted, nothing left to revert, an untracked file of the step
changed since or its record gone), 3 files of an interrupted step that could not be restored
(they are named; the journal is kept), or untracked files of the reverted step that could not be
restored (named, with the record to copy them from).`;

/** A refusal of revert, with a reason (and details) for --json. */
class RevertError extends ExitError {
  constructor(
    exitCode: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(exitCode, message);
  }
}

export const revert: Command = {
  summary: 'undo one step of migrate or shim exactly',
  usage,
  async run(argv, io) {
    // Known before the flags are parsed, so that a malformed flag is answered in JSON too.
    const json = argv.includes('--json');
    try {
      return revertStep(argv, io);
    } catch (error) {
      if (!json) throw error;
      const exitCode = exitCodeOf(error);
      io.stdout.write(`${JSON.stringify({ error: errorJson(error, exitCode) })}\n`);
      // A bug still says so (with its stack, on stderr) and exits 70.
      if (exitCode === EXIT.INTERNAL) throw error;
      return exitCode;
    }
  },
};

function errorJson(error: unknown, exitCode: number): Record<string, unknown> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RevertError) return { reason: error.reason, ...error.details, message };
  if (error instanceof ExitError)
    return {
      reason:
        exitCode === EXIT.USAGE
          ? 'usage'
          : exitCode === EXIT.ROLLBACK_INCOMPLETE
            ? 'rollback-incomplete'
            : 'failed',
      message,
    };
  if (isUnifiedWsError(error)) return { reason: error.code, message };
  return { reason: 'internal', message };
}

function revertStep(argv: string[], io: CommandIO): number {
  const { values, positionals } = parse(
    argv,
    { last: { type: 'boolean' }, json: { type: 'boolean' } },
    'revert',
  );
  const json = values.json === true;
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
        throw new RevertError(
          EXIT.ROLLBACK_INCOMPLETE,
          'rollback-incomplete',
          `${count(restored.failed.length, 'file')} of interrupted step ${step.id} could not be restored (the journal is kept in .unified-ws/):\n${restored.failed.map((f) => `  ${f.path}: ${f.reason}`).join('\n')}\nclear what is in their way, then run \`unified-ws revert --last\` again`,
          { step: step.id, failed: restored.failed },
        );
      const files = [...restored.restored, ...restored.unchanged];
      io.stdout.write(
        json
          ? `${JSON.stringify({ restored: step.id, files })}\n`
          : `restored ${count(files.length, 'file')} of interrupted step ${step.id}\n`,
      );
      return EXIT.OK;
    }
  }
  const target = stepToRevert(root, stepId);
  // The untracked files the step rewrote are in no commit: revert puts them back from the record
  // its commit names, once the git revert is made. Known (and checked) before anything changes.
  const untracked = target.untracked === undefined ? undefined : untrackedToRestore(root, target);
  // Untracked files are no uncommitted changes here: the revert writes none of them (but those
  // it restores, checked above), and git refuses one in the way of a file it would write.
  const dirty = dirtyFiles(root, { untracked: false });
  if (dirty.length > 0)
    throw new RevertError(
      EXIT.USAGE,
      'uncommitted-changes',
      `the working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')})${journal ? `, left by interrupted step ${journal.step.id} (\`unified-ws revert --last\` or \`unified-ws migrate --abort\` restores them)` : ''}: commit or stash them first`,
      { files: dirty },
    );
  const missing = missingIdentity(root);
  if (missing)
    throw new RevertError(
      EXIT.USAGE,
      'no-identity',
      `git does not know who you are (${missing}), and revert commits as you: ${IDENTITY_HELP}`,
    );
  const result = git(root, ['revert', '--no-edit', target.commit], true);
  if (result.status !== 0) {
    const conflicts = git(root, ['diff', '--name-only', '--diff-filter=U'], true)
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    git(root, ['revert', '--abort'], true);
    const output = `${result.stdout}${result.stderr}`;
    if (conflicts.length > 0 || /conflict/i.test(output))
      throw new RevertError(
        EXIT.FAILURE,
        'conflict',
        `step ${target.step} conflicts with later changes in ${conflicts.join(', ') || 'the same files'}: nothing was changed; resolve by hand or revert the later commits first`,
        { step: target.step, commit: target.commit, conflicts },
      );
    // git stops a revert that would commit nothing (and prints `git status`): the step's changes
    // were undone some other way since.
    if (/nothing to commit|nothing added to commit/.test(output))
      throw new RevertError(
        EXIT.FAILURE,
        'empty',
        `step ${target.step} is already undone in the files (its revert would change nothing): nothing was changed`,
        { step: target.step, commit: target.commit },
      );
    throw new RevertError(
      EXIT.FAILURE,
      'refused',
      `git refused to revert step ${target.step} (a commit hook?): nothing was changed\n${output.trim().split('\n').slice(-40).join('\n')}`,
      { step: target.step, commit: target.commit, output: output.trim() },
    );
  }
  const revertCommit = git(root, ['rev-parse', 'HEAD']).stdout.trim();
  const restored = untracked ? restoreUntracked(untracked.files) : undefined;
  const gone = untracked?.files.filter((f) => f.action === 'gone').map((f) => f.path) ?? [];
  if (restored && restored.failed.length > 0)
    throw new RevertError(
      EXIT.ROLLBACK_INCOMPLETE,
      'untracked-not-restored',
      `reverted step ${target.step} (${target.commit.slice(0, 10)}), but ${count(restored.failed.length, 'untracked file')} it rewrote could not be restored:\n${restored.failed.map((f) => `  ${f.path}: ${f.reason}`).join('\n')}\nclear what is in their way and copy them from ${untracked?.record} (base64 "bytes" by "path")`,
      { step: target.step, commit: target.commit, revertCommit, failed: restored.failed },
    );
  if (json)
    io.stdout.write(
      `${JSON.stringify({
        reverted: target.step,
        commit: target.commit,
        revertCommit,
        ...(untracked && restored
          ? {
              untracked: {
                record: untracked.record,
                restored: restored.restored,
                unchanged: restored.unchanged,
                gone,
              },
            }
          : {}),
      })}\n`,
    );
  else {
    const notes = [
      restored?.restored.length
        ? `restored ${count(restored.restored.length, 'untracked file')}: ${restored.restored.join(', ')}`
        : '',
      gone.length
        ? `${count(gone.length, 'untracked file it rewrote is', 'untracked files it rewrote are')} gone, left as ${gone.length === 1 ? 'it is' : 'they are'}: ${gone.join(', ')}`
        : '',
    ].filter(Boolean);
    io.stdout.write(
      `reverted step ${target.step} (${target.commit.slice(0, 10)})${notes.map((n) => `; ${n}`).join('')}\n`,
    );
  }
  return EXIT.OK;
}

/**
 * What reverting the step does with the untracked files it rewrote, from the record its commit
 * names. Refuses (nothing changed yet) when the record is missing or damaged, or when a file
 * changed since the step: the revert would lose that change.
 */
function untrackedToRestore(
  root: string,
  target: StepCommit,
): { record: string; files: UntrackedFilePlan[] } {
  const plan = planUntrackedRestore(root, target.untracked as string);
  const sha = target.commit.slice(0, 10);
  if (plan.status !== 'ok')
    throw new RevertError(
      EXIT.USAGE,
      'untracked-record-missing',
      `step ${target.step} also rewrote untracked files (its commit message names them), whose bytes from before were kept in ${plan.record}, which is ${plan.status === 'missing' ? 'missing' : `damaged (${plan.reason})`}: revert cannot restore them, so nothing was changed; \`git revert ${sha}\` reverts the committed files alone`,
      { step: target.step, commit: target.commit, record: plan.record },
    );
  const changed = plan.files.filter((file) => file.action === 'changed').map((file) => file.path);
  if (changed.length > 0)
    throw new RevertError(
      EXIT.USAGE,
      'untracked-changed',
      `${changed.join(', ')} changed since step ${target.step} rewrote ${changed.length === 1 ? 'it (it is' : 'them (they are'} untracked, so not in the step's commit), and reverting would lose that change: nothing was changed. Delete the ${changed.length === 1 ? 'file' : 'files'} or undo the change, then revert again; or \`git revert ${sha}\` reverts the committed files alone (the bytes from before the step are in ${plan.record})`,
      { step: target.step, commit: target.commit, record: plan.record, files: changed },
    );
  return { record: plan.record, files: plan.files };
}

/**
 * The commit to revert: the newest step commit not reverted yet (--last), or the newest one of
 * the named step that is not. A step with commits that are all reverted is said to be.
 */
function stepToRevert(root: string, stepId: string | undefined): StepCommit {
  const history = stepHistory(root);
  if (stepId === undefined) {
    const live = history.find((entry) => entry.revertedBy === undefined);
    if (live) return live;
    throw new RevertError(
      EXIT.USAGE,
      'nothing-to-revert',
      history.length > 0
        ? 'nothing to revert: every step is reverted'
        : 'nothing to revert: no migration step was committed here',
    );
  }
  const commits = history.filter((entry) => entry.step === stepId);
  const live = commits.find((entry) => entry.revertedBy === undefined);
  if (live) return live;
  const newest = commits[0];
  if (newest?.revertedBy !== undefined)
    throw new RevertError(
      EXIT.USAGE,
      'already-reverted',
      `step ${stepId} is already reverted (by ${newest.revertedBy.slice(0, 10)}): nothing to revert`,
      { step: stepId, commit: newest.commit, revertedBy: newest.revertedBy },
    );
  throw new RevertError(EXIT.USAGE, 'unknown-step', `no migration commit for step "${stepId}"`);
}
