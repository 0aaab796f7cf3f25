import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { loadManifest } from '../manifest/load';
import { resolverFor } from '../migration/codemod/load-manifest';
import { identityEntries, proveIdentity } from '../migration/identity';
import { identityTestSource } from '../migration/identity-test';
import { findLegacyUses, type LegacyUse } from '../migration/legacy-uses';
import type { Command, CommandContext } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse, type Parsed } from './parse';

const usage = `Usage: unified-ws check [path] [--baseline file [--update-baseline]] [--include-untracked] [--manifest file] [--json]
       unified-ws check [path] --identity --manifest file [--write-test file] [--json]

For CI: lists every legacy import as file:line: CODE and exits 1 when there is any.
With --baseline, the uses recorded there are allowed and only new ones fail (a ratchet);
--update-baseline writes the current uses to it.

In a git work tree it reads the files git tracks, as migrate does (so check passes right after a
migrate); --include-untracked adds the untracked files .gitignore does not ignore, as migrate
--include-untracked rewrites them. Any other directory is read whole.

With --identity, proves instead that each legacy export of the manifest's "files" entries that
moves as the same object (same-object, rename, "*") IS its canonical counterpart: it follows
re-exports, imports and aliases statically, through relative paths, tsconfig paths and index
files, and says what each export is instead. --write-test also writes a test file asserting it
at run time (vitest, jest or node:test, as the repository's package.json has it).

Exit codes: 0 clean (or no new uses; with --identity, every export the same object),
1 legacy uses found (an export that is not), 2 usage or input error.`;

interface Baseline {
  version: 1;
  /** "file\\tcode" → number of uses allowed. */
  counts: Record<string, number>;
}

const key = (use: LegacyUse) => `${use.file}\t${use.code}`;

function readBaseline(path: string): Baseline {
  if (!existsSync(path)) return { version: 1, counts: {} };
  try {
    const baseline = JSON.parse(readFileSync(path, 'utf8')) as Baseline;
    if (baseline.version !== 1 || typeof baseline.counts !== 'object')
      throw new Error('not a unified-ws baseline');
    return baseline;
  } catch (error) {
    throw new ExitError(EXIT.USAGE, `${path} is not a valid baseline: ${(error as Error).message}`);
  }
}

export const check: Command = {
  summary: 'fail CI on legacy imports (or on new ones beyond a baseline)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        'include-untracked': { type: 'boolean' },
        ...MANIFEST_OPTION,
        identity: { type: 'boolean' },
        'write-test': { type: 'string' },
        json: { type: 'boolean' },
      },
      'check',
    );
    if (values['write-test'] !== undefined && !values.identity)
      throw new ExitError(EXIT.USAGE, `--write-test needs --identity\n\n${usage}`);
    if (values.identity) return identity(directoryArgument(positionals[0]), values, io);
    if (values['update-baseline'] && !values.baseline)
      throw new ExitError(EXIT.USAGE, `--update-baseline needs --baseline file\n\n${usage}`);
    const root = directoryArgument(positionals[0]);
    // The files migrate would move: tracked ones, untracked ones only when asked.
    const report = findLegacyUses(
      root,
      resolverFor({ root, ...manifestOption(values) }),
      undefined,
      {
        untracked: values['include-untracked'] === true,
      },
    );
    const baselinePath =
      values.baseline === undefined ? undefined : resolve(String(values.baseline));
    if (baselinePath && values['update-baseline']) {
      const counts: Record<string, number> = {};
      for (const use of report.uses) counts[key(use)] = (counts[key(use)] ?? 0) + 1;
      writeFileSync(
        baselinePath,
        `${JSON.stringify({ version: 1, counts } satisfies Baseline, null, 2)}\n`,
      );
      io.stdout.write(`wrote ${report.uses.length} legacy uses to ${baselinePath}\n`);
      return EXIT.OK;
    }
    const allowed = baselinePath ? readBaseline(baselinePath).counts : {};
    const seen = new Map<string, number>();
    const failing = report.uses.filter((use) => {
      const count = (seen.get(key(use)) ?? 0) + 1;
      seen.set(key(use), count);
      return count > (allowed[key(use)] ?? 0);
    });
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ scanned: report.scanned, uses: report.uses.length, failing, unparsable: report.unparsable }, null, 2)}\n`,
      );
    } else {
      for (const use of failing)
        io.stdout.write(`${use.file}:${use.line}: ${use.code} ${use.specifier}\n`);
      for (const file of report.unparsable)
        io.stderr.write(`${file.file}:${file.line}: not parsed: ${file.message}\n`);
      const what = baselinePath
        ? `${count(failing.length, 'new legacy use')} beyond the baseline (${report.uses.length} in all)`
        : count(failing.length, 'legacy use');
      io.stdout.write(
        `${failing.length === 0 && report.unparsable.length === 0 ? 'ok: ' : ''}${what} in ${count(report.scanned, 'file')}${report.unparsable.length ? `, ${count(report.unparsable.length, 'file')} not parsed` : ''}\n`,
      );
    }
    return failing.length > 0 || report.unparsable.length > 0 ? EXIT.FAILURE : EXIT.OK;
  },
};

/** Paths in a command line: relative to the repository root, posix. */
const shown = (root: string, path: string) => relative(root, path).split(sep).join('/');

/** check --identity: the static proof that legacy exports are their canonical objects. */
function identity(root: string, values: Parsed['values'], io: CommandContext): number {
  if (values.baseline !== undefined || values['update-baseline'])
    throw new ExitError(
      EXIT.USAGE,
      `--identity takes no --baseline: it counts no uses\n\n${usage}`,
    );
  if (values.manifest === undefined)
    throw new ExitError(
      EXIT.USAGE,
      'check --identity needs --manifest file: it proves the repository files that entries name in "files", and the built-in manifest names none',
    );
  const manifestPath = resolve(String(values.manifest));
  const manifest = loadManifest(manifestPath);
  if (identityEntries(manifest).length === 0)
    throw new ExitError(
      EXIT.USAGE,
      `${values.manifest} has no entry with "files": check --identity proves repository files, and it names none`,
    );
  const report = proveIdentity(manifest, { root });
  const failing = report.results.filter((r) => !r.identical);

  let written: { file: string; framework: string; assertions: number } | undefined;
  if (values['write-test'] !== undefined) {
    const file = resolve(String(values['write-test']));
    const command = `npx unified-ws check --identity --manifest ${shown(root, manifestPath)} --write-test ${shown(root, file)}`;
    const test = identityTestSource(report, file, command);
    if (test.text === undefined)
      io.stderr.write(
        `no test written to ${values['write-test']}: no export to assert at run time\n`,
      );
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, test.text);
      written = {
        file: shown(root, file),
        framework: test.framework,
        assertions: test.assertions.length,
      };
    }
  }

  if (values.json) {
    const exports = report.results.map((r) => ({
      code: r.code,
      file: r.file,
      export: r.export,
      canonical: r.canonical,
      identical: r.identical,
      reason: r.reason,
      line: r.line ?? null,
      typeOnly: r.typeOnly,
    }));
    io.stdout.write(
      `${JSON.stringify({ total: exports.length, notIdentical: failing.length, exports, ...(written ? { testFile: written } : {}) }, null, 2)}\n`,
    );
  } else {
    for (const r of report.results)
      io.stdout.write(`${r.code} ${r.identical ? 'identical' : 'NOT identical'}: ${r.reason}\n`);
    if (written)
      io.stdout.write(
        `wrote ${written.file}: ${count(written.assertions, 'assertion')} (${written.framework})\n`,
      );
    const total = report.results.length;
    io.stdout.write(
      total === 0
        ? 'ok: nothing to prove: no export of a "files" entry moves as the same object (same-object, rename, "*")\n'
        : failing.length === 0
          ? `ok: ${count(total, 'legacy export is', 'legacy exports are')} the same object as ${total === 1 ? 'its canonical counterpart' : 'their canonical counterparts'}\n`
          : `${failing.length} of ${count(total, 'legacy export')} ${failing.length === 1 ? 'is' : 'are'} not the same object as ${failing.length === 1 ? 'its canonical counterpart' : 'their canonical counterparts'}\n`,
    );
  }
  return failing.length > 0 ? EXIT.FAILURE : EXIT.OK;
}
