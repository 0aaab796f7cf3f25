import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { resolverFor } from '../migration/codemod/load-manifest';
import { CodeOwners } from '../migration/codeowners';
import { findLegacyUses } from '../migration/legacy-uses';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { MANIFEST_OPTION, manifestOption, parse } from './parse';
import { progressFor } from './progress';

const usage = `Usage: unified-ws audit [paths…] [--list file] [--manifest file] [--json]

Counts legacy uses across one or many repositories (the paths, or a file listing one per line):
per code, per repository, and per owner (CODEOWNERS) or top-level directory, with totals. Also
flags classes that look like further managers, routers, notifiers or dispatchers outside
unified-ws: possible duplicate implementations to consolidate next.

Exit codes: 0 audited, 2 usage or input error (not a directory, an unreadable list).`;

/** Names that the consolidation exists to make single: another one is worth a look. */
const DUPLICATE_SHAPE =
  /\bclass\s+(\w*(?:WebSocket|Socket|Message|Agent|Tool|Notif|Execution|Event|Bridge)\w*(?:Manager|Router|Notifier|Dispatcher|Bridge|Factory|Adapter|Registry))\b/g;

export interface RepositoryAudit {
  repository: string;
  scanned: number;
  uses: number;
  byCode: Record<string, number>;
  byGroup: Record<string, number>;
  groupedBy: 'owner' | 'directory';
  unparsable: string[];
  duplicates: { file: string; line: number; name: string }[];
}

function repositories(positionals: string[], list: string | undefined): string[] {
  const paths = [...positionals];
  if (list !== undefined) {
    const file = resolve(list);
    if (!existsSync(file)) throw new ExitError(EXIT.USAGE, `${list}: no such file`);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const path = line.replace(/#.*$/, '').trim();
      if (path) paths.push(resolve(dirname(file), path));
    }
  }
  if (paths.length === 0) paths.push('.');
  return paths.map((path) => {
    const dir = resolve(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new ExitError(EXIT.USAGE, `${path} is not a directory`);
    return dir;
  });
}

/** Classes in one file whose names look like another manager, router, notifier or dispatcher. */
function duplicatesIn(file: string, text: string): RepositoryAudit['duplicates'] {
  if (!text.includes('class ')) return [];
  return [...text.matchAll(DUPLICATE_SHAPE)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length,
    name: match[1] as string,
  }));
}

export function auditRepository(root: string, manifest: string | undefined): RepositoryAudit {
  // One read of each file serves both the legacy uses and the duplicate implementations.
  const duplicates: RepositoryAudit['duplicates'] = [];
  const { uses, scanned, unparsable } = findLegacyUses(
    root,
    resolverFor(manifest === undefined ? { root } : { root, manifest }),
    (file, text) => duplicates.push(...duplicatesIn(file, text)),
  );
  const owners = CodeOwners.load(root);
  const byCode: Record<string, number> = {};
  const byGroup: Record<string, number> = {};
  for (const use of uses) {
    byCode[use.code] = (byCode[use.code] ?? 0) + 1;
    const group = owners
      ? owners.ownersOf(use.file).join(' ') || '(no owner)'
      : use.file.includes(sep)
        ? (use.file.split(sep)[0] as string)
        : '.';
    byGroup[group] = (byGroup[group] ?? 0) + 1;
  }
  return {
    repository: root,
    scanned,
    uses: uses.length,
    byCode,
    byGroup,
    groupedBy: owners ? 'owner' : 'directory',
    unparsable: unparsable.map((u) => `${u.file}:${u.line}`),
    duplicates,
  };
}

export const audit: Command = {
  summary:
    'count legacy uses across repositories, by code and owner; flag duplicate implementations',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { list: { type: 'string' }, ...MANIFEST_OPTION, json: { type: 'boolean' } },
      'audit',
    );
    const roots = repositories(
      positionals,
      values.list === undefined ? undefined : String(values.list),
    );
    const { manifest } = manifestOption(values);
    const progress = progressFor(io.stderr);
    progress.start(roots.length, 'repositories');
    const audits = roots.map((root) => {
      progress.tick();
      return auditRepository(root, manifest);
    });
    progress.stop();
    const totals: Record<string, number> = {};
    for (const a of audits)
      for (const [code, count] of Object.entries(a.byCode))
        totals[code] = (totals[code] ?? 0) + count;
    const total = audits.reduce((sum, a) => sum + a.uses, 0);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ repositories: audits, totals: { uses: total, byCode: totals } }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    for (const a of audits) {
      io.stdout.write(
        `${a.repository}: ${count(a.uses, 'legacy use')} in ${count(a.scanned, 'file')}\n`,
      );
      for (const [code, count] of Object.entries(a.byCode).sort())
        io.stdout.write(`  ${code.padEnd(10)}${String(count).padStart(6)}\n`);
      io.stdout.write(`  by ${a.groupedBy}:\n`);
      for (const [group, count] of Object.entries(a.byGroup).sort((x, y) => y[1] - x[1]))
        io.stdout.write(`    ${group.padEnd(30)}${String(count).padStart(6)}\n`);
      for (const file of a.unparsable) io.stdout.write(`  not parsed: ${file}\n`);
      for (const d of a.duplicates)
        io.stdout.write(`  possible duplicate implementation: ${d.name} (${d.file}:${d.line})\n`);
    }
    io.stdout.write(
      `total: ${count(total, 'legacy use')} in ${count(audits.length, 'repository', 'repositories')}${
        Object.keys(totals).length
          ? ` (${Object.entries(totals)
              .sort()
              .map(([c, n]) => `${c} ${n}`)
              .join(', ')})`
          : ''
      }\n`,
    );
    return EXIT.OK;
  },
};
