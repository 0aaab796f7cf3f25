import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolverFor } from '../migration/codemod/load-manifest';
import { findLegacyUses, type LegacyUse } from '../migration/legacy-uses';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { directoryArgument, MANIFEST_OPTION, manifestOption, parse } from './parse';

const usage = `Usage: unified-ws check [path] [--baseline file [--update-baseline]] [--manifest file] [--json]

For CI: lists every legacy import as file:line: CODE and exits 1 when there is any.
With --baseline, the uses recorded there are allowed and only new ones fail (a ratchet);
--update-baseline writes the current uses to it.

Exit codes: 0 clean (or no new uses), 1 legacy uses found, 2 usage or input error.`;

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
        ...MANIFEST_OPTION,
        json: { type: 'boolean' },
      },
      'check',
    );
    if (values['update-baseline'] && !values.baseline)
      throw new ExitError(EXIT.USAGE, `--update-baseline needs --baseline file\n\n${usage}`);
    const root = directoryArgument(positionals[0]);
    const report = findLegacyUses(root, resolverFor({ root, ...manifestOption(values) }));
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
