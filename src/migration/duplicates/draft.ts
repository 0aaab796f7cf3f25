import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { parseManifest } from '../../manifest/from-json';
import type { DuplicateGroup, DuplicateMember } from './finder';
import { workspacePackages } from './importers';
import { exportedImplementations } from './module-surfaces';

// A manifest v2 draft from the duplicate groups of one repository, for a person to review: one
// entry per group, each legacy file under `files`, each export classified by how far the
// canonical surface covers it. parseManifest checks it before it is written.

export interface DraftOptions {
  /** The repository the draft is for: only its members become entries. */
  repository: string;
  /** Code prefix (capitals). Default: from package.json's name (`@acme/app` → ACME), else APP. */
  prefix?: string;
  /** `$schema` of the draft, for editors. Default: the schema in the installed unified-ws, from the repository root. */
  schema?: string;
}

/** A JSON manifest, as written to the draft file. */
export interface DraftManifest {
  $schema: string;
  package: string;
  canonical: string;
  entries: Record<string, unknown>[];
}

function packageJson(repository: string): { name?: string; version?: string } {
  const file = join(repository, 'package.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  } catch {
    return {};
  }
}

/** `@acme/chat` → ACME, `chat-backend` → CHATBA; never UWS (unified-ws's own codes). */
export function codePrefix(packageName: string | undefined): string {
  const base = packageName?.startsWith('@') ? packageName.slice(1).split('/')[0] : packageName;
  const letters = (base ?? '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 6);
  return /^[A-Z]/.test(letters) && letters !== 'UWS' ? letters : 'APP';
}

/** A surface signature (`send/1-2`) read back: its name and the argument counts it accepts. */
function signature(text: string): { name: string; min: number; max: number; accessor: boolean } {
  const slash = text.lastIndexOf('/');
  const name = text.slice(0, slash);
  const arity = text.slice(slash + 1);
  if (arity === 'get') return { name, min: 0, max: 0, accessor: true };
  const [min, max] = arity.endsWith('+')
    ? [Number(arity.slice(0, -1)), Infinity]
    : arity.includes('-')
      ? arity.split('-').map(Number)
      : [Number(arity), Number(arity)];
  return { name, min: min as number, max: max as number, accessor: false };
}

/**
 * The legacy members the canonical surface does not cover: absent, or unable to take every
 * argument count the legacy one takes (a canonical `count(userId?)` covers a legacy `count(userId)`).
 */
function differences(member: DuplicateMember, canonical: readonly string[]): string[] {
  const byName = new Map(canonical.map((text) => [signature(text).name, text]));
  const differ: string[] = [];
  for (const text of member.surface) {
    const legacy = signature(text);
    const other = byName.get(legacy.name);
    if (other === undefined) {
      differ.push(`${text} (absent)`);
      continue;
    }
    const target = signature(other);
    const covers =
      target.accessor === legacy.accessor && target.min <= legacy.min && target.max >= legacy.max;
    if (!covers) differ.push(`${text} (canonical ${other})`);
  }
  return differ;
}

/** The manifest draft, validated; undefined when the repository has no legacy file to shim. */
export function draftManifest(
  groups: readonly DuplicateGroup[],
  options: DraftOptions,
): DraftManifest | undefined {
  const repository = resolve(options.repository);
  const pkg = packageJson(repository);
  const prefix = options.prefix ?? codePrefix(pkg.name);
  const taken = new Set<string>();
  const entries: Record<string, unknown>[] = [];
  // The repository's packages, walked for once (only when a group converges on a member of it).
  let packages: ReturnType<typeof workspacePackages> | undefined;
  for (const group of groups) {
    const canonical = group.canonical;
    const own = canonical.member;
    // A repository member as the canonical one is written as a repository file target.
    const target = own
      ? `./${relative(repository, resolve(own.repository, own.file)).split('\\').join('/')}`
      : undefined;
    // In another workspace package that exports it, it is imported by that package's name.
    const viaPackage =
      own &&
      packageExporting(
        repository,
        (packages ??= workspacePackages(repository)),
        resolve(own.repository, own.file),
        own.exportedAs[0] ?? own.name,
      );
    const replacement = (rewrite: 'import' | 'manual', to: string | undefined) =>
      to?.startsWith('./')
        ? `${canonical.name} from ${to.slice(2)}`
        : rewrite === 'import'
          ? `import { ${canonical.name} } from '${to ?? canonical.module}'`
          : `${canonical.name} from '${to ?? canonical.module}'`;
    // One entry per legacy file: identity, telemetry and the warning are per module.
    for (const member of group.members) {
      if (
        resolve(member.repository) !== repository ||
        (own && member.file === own.file && member.name === own.name) ||
        member.exportedAs.length === 0 ||
        taken.has(member.file)
      )
        continue;
      taken.add(member.file);
      const ownerPackage = owningPackage(repository, resolve(member.repository, member.file));
      const owner = ownerPackage?.name;
      // The version of the package that holds the file: the one that will remove it.
      const { since, removeIn } = versionsOf(ownerPackage?.version ?? pkg.version);
      const entryTarget = viaPackage && viaPackage !== owner ? viaPackage : target;
      const differ = differences(member, canonical.surface);
      const exports: Record<string, unknown>[] = member.exportedAs.map((name) =>
        differ.length === 0
          ? {
              name,
              rewrite: name === canonical.name ? 'same-object' : 'rename',
              canonical: canonical.name,
              replacement: replacement('import', entryTarget),
            }
          : { name, rewrite: 'manual', replacement: replacement('manual', entryTarget) },
      );
      // Whatever else the file exports is not part of the duplicate: it stays where it is.
      exports.push({ name: '*', rewrite: 'stays' });
      entries.push({
        code: `${prefix}${String(entries.length + 1).padStart(3, '0')}`,
        // In a monorepo, the workspace package that holds the file (its version removes it).
        ...(owner && owner !== pkg.name ? { package: owner } : {}),
        files: [member.file],
        ...(entryTarget ? { canonical: entryTarget } : {}),
        summary: `${member.name}: a duplicate of ${canonical.name} (${own ? own.file : canonical.module}).`,
        why: [
          `Group ${group.id}: ${group.members.length + (own ? 0 : 1)} implementations of one concept; shared members: ${group.shared.join(', ') || '(none)'}.`,
          ...(differ.length > 0
            ? [`${member.name} differs from ${canonical.name}: ${differ.join(', ')}.`]
            : []),
          ...(own &&
          entryTarget === target &&
          packageOf(repository, resolve(own.repository, own.file)) !== owner
            ? [
                `The canonical implementation is in another package that does not export it: export it from ${packageOf(repository, resolve(own.repository, own.file))} first, or the shim's relative path crosses packages.`,
              ]
            : []),
        ].join(' '),
        since,
        removeIn,
        exports,
      });
    }
  }
  // A manifest has at least one entry: with no duplicate to shim there is nothing to draft.
  if (entries.length === 0) return undefined;
  const draft: DraftManifest = {
    $schema: options.schema ?? './node_modules/unified-ws/src/manifest/manifest.schema.json',
    package: pkg.name ?? 'app',
    canonical: 'unified-ws',
    entries,
  };
  parseManifest(draft, 'the drafted manifest');
  return draft;
}

/**
 * since: the package's version (0.1.0 without one); removeIn: the next major of its release
 * (0.0.0-dev → 1.0.0, 2.3.1 → 3.0.0) — never at or below since.
 */
export function versionsOf(version: string | undefined): { since: string; removeIn: string } {
  const since = semver.valid(version ?? '') ?? '0.1.0';
  return { since, removeIn: `${semver.major(since) + 1}.0.0` };
}

/**
 * The workspace package of the repository that holds `file` and exports `name` from its entry
 * (through its barrels), or undefined.
 */
function packageExporting(
  repository: string,
  packages: ReturnType<typeof workspacePackages>,
  file: string,
  name: string,
): string | undefined {
  const owner = packageOf(repository, file);
  if (owner === undefined) return undefined;
  const pkg = packages.get(owner);
  if (pkg?.entry !== undefined && exportedImplementations(pkg.entry).has(name)) return owner;
  return pkg && subpathExporting(owner, pkg.dir, file);
}

/**
 * The subpath specifier (`@acme/core/registry`) under which a package's `exports` map publishes
 * a file: an exact subpath, or a `./*` pattern whose target matches the file's path.
 */
function subpathExporting(owner: string, dir: string, file: string): string | undefined {
  let exportsMap: unknown;
  try {
    exportsMap = (
      JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown }
    ).exports;
  } catch {
    return undefined;
  }
  if (typeof exportsMap !== 'object' || exportsMap === null) return undefined;
  const path = `./${relative(dir, file).split('\\').join('/')}`;
  for (const [key, value] of Object.entries(exportsMap as Record<string, unknown>)) {
    if (!key.startsWith('./') || key === '.') continue;
    // A condition object: the first string among the conditions a source file would meet.
    const target =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && value !== null
          ? ['source', 'import', 'default', 'require', 'types']
              .map((c) => (value as Record<string, unknown>)[c])
              .find((t): t is string => typeof t === 'string')
          : undefined;
    if (target === undefined) continue;
    const star = target.indexOf('*');
    if (star === -1) {
      if (target === path) return `${owner}/${key.slice(2)}`;
      continue;
    }
    const [before, after] = [target.slice(0, star), target.slice(star + 1)];
    if (
      path.startsWith(before) &&
      path.endsWith(after) &&
      path.length >= before.length + after.length
    ) {
      const captured = path.slice(before.length, path.length - after.length);
      return `${owner}/${key.slice(2).replace('*', captured)}`;
    }
  }
  return undefined;
}

/** The nearest package.json with a name above a file, up to the repository root. */
function owningPackage(
  repository: string,
  file: string,
): { name: string; version?: string } | undefined {
  for (let dir = dirname(file); dir.startsWith(repository); dir = dirname(dir)) {
    const { name, version } = packageJson(dir);
    if (name !== undefined) return version === undefined ? { name } : { name, version };
    if (dir === repository) break;
  }
  return undefined;
}

/** The name of the package that holds a file. */
const packageOf = (repository: string, file: string): string | undefined =>
  owningPackage(repository, file)?.name;
