import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { resolverFor } from '../migration/codemod/load-manifest';
import { CodeOwners } from '../migration/codeowners';
import { findLegacyUses } from '../migration/legacy-uses';
import { draftManifest } from '../migration/duplicates/draft';
import { DuplicateFinder, type DuplicateGroup } from '../migration/duplicates/finder';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { count } from './format';
import { MANIFEST_OPTION, manifestOption, parse } from './parse';
import { progressFor } from './progress';
import { repositories } from './repository-list';

const usage = `Usage: unified-ws audit [paths…] [--list file] [--manifest file] [--json]
                      [--draft-manifest file] [--code-prefix ACME] [--include-tests]
                      [--include-untracked]

Counts legacy uses across one or many repositories (the paths, or a file listing one per line):
per code, per repository, and per owner (CODEOWNERS) or top-level directory, with totals. In a
git work tree it reads the files git tracks, as check and migrate do (--include-untracked adds
the untracked ones that .gitignore does not ignore).

Finds duplicate implementations by structure: classes and factory functions whose public surface
(member names and arity) largely matches, across files and repositories, under any names —
grouped, each group with the implementation to converge on (unified-ws's own class for the same
concept, else the most imported member), file:line, size and importers. Test files are left out
unless --include-tests.

--draft-manifest file   writes a manifest draft for one repository: an entry per group, its
                        legacy files under "files", each export same-object, rename or manual
                        (with the members that differ). Review it, then \`unified-ws shim\`.
--code-prefix ACME      the draft's codes (ACME001…). Default: from package.json's name.

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

/** Classes in one file whose names look like another manager, router, notifier or dispatcher. */
function duplicatesIn(file: string, text: string): RepositoryAudit['duplicates'] {
  if (!text.includes('class ')) return [];
  return [...text.matchAll(DUPLICATE_SHAPE)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length,
    name: match[1] as string,
  }));
}

export function auditRepository(
  root: string,
  manifest: string | undefined,
  finder?: DuplicateFinder,
  untracked = false,
): RepositoryAudit {
  // One read of each file serves the legacy uses and both kinds of duplicate search.
  const duplicates: RepositoryAudit['duplicates'] = [];
  const { uses, scanned, unparsable } = findLegacyUses(
    root,
    resolverFor(manifest === undefined ? { root } : { root, manifest }),
    (file, text) => {
      duplicates.push(...duplicatesIn(file, text));
      finder?.addFile(root, file, text);
    },
    // The files check and migrate read: tracked ones, untracked ones only when asked.
    { untracked },
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
      {
        list: { type: 'string' },
        ...MANIFEST_OPTION,
        json: { type: 'boolean' },
        'draft-manifest': { type: 'string' },
        'code-prefix': { type: 'string' },
        'include-tests': { type: 'boolean' },
        'include-untracked': { type: 'boolean' },
      },
      'audit',
    );
    const roots = repositories(
      positionals,
      values.list === undefined ? undefined : String(values.list),
    );
    const { manifest } = manifestOption(values);
    const draftFile =
      values['draft-manifest'] === undefined ? undefined : String(values['draft-manifest']);
    const prefix = values['code-prefix'] === undefined ? undefined : String(values['code-prefix']);
    if (draftFile !== undefined && roots.length !== 1)
      throw new ExitError(
        EXIT.USAGE,
        `--draft-manifest writes a manifest for one repository; ${roots.length} were given`,
      );
    if (prefix !== undefined && !/^[A-Z][A-Z0-9_-]*$/.test(prefix))
      throw new ExitError(EXIT.USAGE, `--code-prefix ${prefix}: capitals, digits, _ or - (ACME)`);
    const finder = new DuplicateFinder({ includeTests: values['include-tests'] === true });
    const progress = progressFor(io.stderr);
    progress.start(roots.length, 'repositories');
    const audits = roots.map((root) => {
      progress.tick();
      return auditRepository(root, manifest, finder, values['include-untracked'] === true);
    });
    progress.stop();
    const groups = finder.groups();
    // Classes flagged by name alone are shown only when no group holds them already.
    const grouped = new Set(
      groups.flatMap((g) => g.members.map((m) => `${m.repository}\0${m.file}\0${m.name}`)),
    );
    for (const a of audits)
      a.duplicates = a.duplicates.filter(
        (d) => !grouped.has(`${a.repository}\0${d.file.split(sep).join('/')}\0${d.name}`),
      );
    if (draftFile !== undefined) {
      const out = resolve(draftFile);
      const draft = draftManifest(groups, {
        repository: roots[0] as string,
        ...(prefix === undefined ? {} : { prefix }),
        schema: schemaPath(roots[0] as string, out),
      });
      if (draft === undefined)
        io.stderr.write(
          `no duplicate implementation in ${roots[0]} to draft a manifest from: ${draftFile} not written\n`,
        );
      else {
        writeFileSync(out, `${JSON.stringify(draft, null, 2)}\n`);
        io.stderr.write(
          `manifest draft with ${count(draft.entries.length, 'entry', 'entries')} written to ${draftFile}: review it, then \`unified-ws shim --manifest ${draftFile} --all\`\n`,
        );
      }
    }
    const totals: Record<string, number> = {};
    for (const a of audits)
      for (const [code, count] of Object.entries(a.byCode))
        totals[code] = (totals[code] ?? 0) + count;
    const total = audits.reduce((sum, a) => sum + a.uses, 0);
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ repositories: audits, totals: { uses: total, byCode: totals }, groups }, null, 2)}\n`,
      );
      return EXIT.OK;
    }
    for (const a of audits) {
      io.stdout.write(
        `${a.repository}: ${count(a.uses, 'legacy use')} in ${count(a.scanned, 'file')}\n`,
      );
      for (const [code, count] of Object.entries(a.byCode).sort())
        io.stdout.write(`  ${code.padEnd(10)}${String(count).padStart(6)}\n`);
      if (Object.keys(a.byGroup).length > 0) io.stdout.write(`  by ${a.groupedBy}:\n`);
      for (const [group, count] of Object.entries(a.byGroup).sort((x, y) => y[1] - x[1]))
        io.stdout.write(`    ${group.padEnd(30)}${String(count).padStart(6)}\n`);
      for (const file of a.unparsable) io.stdout.write(`  not parsed: ${file}\n`);
      for (const d of a.duplicates)
        io.stdout.write(`  possible duplicate implementation: ${d.name} (${d.file}:${d.line})\n`);
    }
    io.stdout.write(describeGroups(groups, roots.length > 1));
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

/** The installed unified-ws's schema, relative to where the draft is written (for editors). */
function schemaPath(repository: string, draft: string): string {
  const schema = join(
    repository,
    'node_modules',
    'unified-ws',
    'src',
    'manifest',
    'manifest.schema.json',
  );
  const path = relative(dirname(draft), schema).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The groups of duplicate implementations, as text. */
function describeGroups(groups: readonly DuplicateGroup[], manyRepositories: boolean): string {
  if (groups.length === 0) return 'duplicate implementations: none found by structure\n';
  const lines = [`duplicate implementations: ${count(groups.length, 'group')}`];
  for (const group of groups) {
    const { canonical } = group;
    const where = canonical.member
      ? `${canonical.member.file}, the most imported`
      : canonical.module;
    lines.push(
      `  group ${group.id}: ${canonical.name} (${where}) — ${count(group.members.length, 'implementation')}; shared: ${group.shared.join(', ') || '(none)'}`,
    );
    for (const m of group.members) {
      const file = `${manyRepositories ? `${basename(m.repository)}:` : ''}${m.file}:${m.line}`;
      const role =
        m === canonical.member ||
        (canonical.member?.file === m.file && canonical.member.name === m.name)
          ? 'canonical'
          : `match ${m.score.toFixed(2)}`;
      lines.push(
        `    ${m.name.padEnd(24)} ${file.padEnd(40)} ${count(m.lines, 'line').padStart(10)}   imported by ${count(m.importers, 'file')}   ${role}${m.exportedAs.length === 0 ? '   (not exported)' : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
