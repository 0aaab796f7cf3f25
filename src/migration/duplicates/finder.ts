import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPackage } from '../../deprecation/package-info';
import { readListedFile } from '../codemod/discovery';
import { packageTypesFile } from '../codemod/module-resolver';
import { parseSource, ParseFailure } from '../codemod/parse';
import { connectedGroups, related, sameConcept, similarity, type GroupingOptions } from './group';
import { ImporterCounter } from './importers';
import { exportedImplementations } from './module-surfaces';
import { ACCESSOR, implementationsOf, MIN_FINGERPRINT, type Implementation } from './surface';

// Duplicate implementations across one or many repositories: every class and factory function is
// read once (audit hands each file's text over as it reads it), grouped by surface, matched with
// the canonical package's classes, and counted by importers.

export interface FinderOptions extends GroupingOptions {
  /** The package whose classes are the canonical concepts. Default `unified-ws`. */
  canonicalPackage?: string;
  /** Also look in test files (`*.test.*`, `*.spec.*`, `__tests__/`, `test/`). Default false: test doubles are not duplicates to consolidate. */
  includeTests?: boolean;
}

/** One implementation of a group. */
export interface DuplicateMember {
  repository: string;
  /** Relative to its repository, `/`-separated. */
  file: string;
  name: string;
  kind: Implementation['kind'];
  exportedAs: string[];
  line: number;
  lines: number;
  /** Its public surface: `name/arity` (`name/get` for an accessor). */
  surface: string[];
  /** Files of its repository that import it. */
  importers: number;
  /** How far it matches the group's canonical implementation, 0–1. */
  score: number;
}

/** Where a group's implementations should converge. */
export interface CanonicalChoice {
  /** A package (`unified-ws`) or, for a member of the group, its repository and file. */
  module: string;
  name: string;
  /** Set when the canonical implementation is a member of the group (the most imported one). */
  member?: DuplicateMember;
  surface: string[];
}

export interface DuplicateGroup {
  id: number;
  canonical: CanonicalChoice;
  /** Member names every implementation of the group has (with the canonical one). */
  shared: string[];
  /** The implementations to consolidate, most imported first (the canonical member included). */
  members: DuplicateMember[];
}

const TEST_FILE = /(?:^|\/)(?:__tests__|__mocks__|tests?)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;
const MAY_DECLARE = /\bclass\s|\b(?:create|make|build|new)[A-Z0-9_]/;

/** A surface as text: `name/2`, `name/1-2` (an optional parameter), `name/1+` (a rest one), `name/get`. */
function surfaceOf(implementation: Implementation): string[] {
  return [...implementation.members]
    .map(([name, arity]) => {
      if (arity === ACCESSOR) return `${name}/get`;
      const max = implementation.maxParams.get(name) ?? arity;
      return `${name}/${max === Infinity ? `${arity}+` : max === arity ? arity : `${arity}-${max}`}`;
    })
    .sort();
}

interface Found {
  repository: string;
  file: string;
  implementation: Implementation;
}

export class DuplicateFinder {
  private readonly found: Found[] = [];
  /** Files that may import an implementation, by repository: read again once the groups are known. */
  private readonly importing = new Map<string, string[]>();

  constructor(private readonly options: FinderOptions = {}) {}

  /** One source file of a repository, as its caller read it (path relative to the repository). */
  addFile(repository: string, file: string, text: string): void {
    const path = file.split('\\').join('/');
    // Tests import implementations too: they count as importers, never as implementations.
    const importing = this.importing.get(repository) ?? [];
    this.importing.set(repository, importing);
    if (/\bimport\b|\brequire\(|\bfrom\s*['"]/.test(text)) importing.push(path);
    if (!this.options.includeTests && TEST_FILE.test(path)) return;
    if (!MAY_DECLARE.test(text)) return;
    let implementations: Implementation[];
    try {
      implementations = implementationsOf(parseSource(text, path).program.body, text);
    } catch (error) {
      if (error instanceof ParseFailure) return;
      throw error;
    }
    for (const implementation of implementations)
      this.found.push({ repository, file: path, implementation });
  }

  /** The canonical package's classes, read from its type declarations. */
  private concepts(
    repositories: readonly string[],
  ): { name: string; implementation: Implementation }[] {
    const name = this.options.canonicalPackage ?? 'unified-ws';
    let types: string | undefined;
    for (const repository of repositories) types ??= packageTypesFile(repository, name);
    if (!types && name === 'unified-ws') {
      // This package itself, when the repository does not have it installed yet.
      const root = findPackage().root;
      types = [join(root, 'dist', 'src', 'index.d.ts'), join(root, 'src', 'index.ts')].find(
        existsSync,
      );
    }
    if (!types) return [];
    return [...exportedImplementations(types)]
      .filter(([, implementation]) => implementation.kind === 'class')
      .map(([exported, implementation]) => ({ name: exported, implementation }));
  }

  /** The groups, largest first. */
  /** Files of each repository importing each candidate, counted once for all groups. */
  private importerCounts(
    repositories: readonly string[],
    candidates: readonly Found[],
  ): (found: Found) => number {
    const counters = new Map<string, ImporterCounter>();
    for (const repository of repositories) {
      const targets = new Map<string, Set<string>>();
      for (const m of candidates)
        if (m.repository === repository) {
          const file = resolve(repository, m.file);
          targets.set(
            file,
            new Set([...(targets.get(file) ?? []), ...m.implementation.exportedAs]),
          );
        }
      if (targets.size === 0) continue;
      const counter = new ImporterCounter(repository, targets);
      counter.count(
        (this.importing.get(repository) ?? []).map((file) => resolve(repository, file)),
        (file) => readListedFile(file)?.toString('utf8'),
      );
      counters.set(repository, counter);
    }
    return (m) =>
      counters
        .get(m.repository)
        ?.importersOf(resolve(m.repository, m.file), m.implementation.exportedAs) ?? 0;
  }

  /** The groups, largest first. */
  groups(): DuplicateGroup[] {
    const options = this.options;
    const repositories = [...this.importing.keys()];
    const concepts = this.concepts(repositories);
    // An abstract class is a base to extend, not an implementation to converge on.
    const candidates = this.found.filter((f) => !f.implementation.abstract);
    const conceptOf = (found: Found) =>
      concepts.some((c) => sameConcept(found.implementation, c.implementation, options));
    const { groups: components, singles } = connectedGroups(candidates, options);
    // A single implementation is a duplicate too when the canonical package has its concept.
    const queue: Found[][] = [...components, ...singles.filter(conceptOf).map((s) => [s])];
    const importers = this.importerCounts(repositories, queue.flat());

    const result: DuplicateGroup[] = [];
    while (queue.length > 0) {
      const members = queue.shift() as Found[];
      // The canonical package's concept that matches the most members best, else the most
      // imported member (ties: the larger surface).
      let best: { name: string; implementation: Implementation; total: number } | undefined;
      for (const concept of concepts) {
        const matching = members.filter((m) =>
          sameConcept(m.implementation, concept.implementation, options),
        );
        if (matching.length === 0) continue;
        const total = matching.reduce(
          (sum, m) =>
            sum + similarity(m.implementation.members, concept.implementation.members).score,
          0,
        );
        if (!best || total > best.total) best = { ...concept, total };
      }
      const ranked = [...members].sort(
        (a, b) =>
          importers(b) - importers(a) ||
          b.implementation.members.size - a.implementation.members.size ||
          a.file.localeCompare(b.file),
      );
      const head = ranked[0] as Found;
      const target = best ? best.implementation : head.implementation;
      // Every member must be the canonical one's concept itself: a chain A~B~C where A and C
      // differ is not one concept. The others are grouped again among themselves.
      // Nor may two members be variations of one design (two drivers of one interface reached
      // through a third class): the better match stays, the other is grouped again.
      const keep: Found[] = [];
      const byMatch = [...ranked].sort(
        (a, b) =>
          Number(b === head && !best) - Number(a === head && !best) ||
          similarity(b.implementation.members, target.members).score -
            similarity(a.implementation.members, target.members).score,
      );
      for (const m of byMatch)
        if (
          ((!best && m === head) || sameConcept(m.implementation, target, options)) &&
          !keep.some((k) => related(k.implementation, m.implementation))
        )
          keep.push(m);
      const rest = ranked.filter((m) => !keep.includes(m));
      if (rest.length > 0) {
        const again = connectedGroups(rest, options);
        queue.push(...again.groups, ...again.singles.filter(conceptOf).map((s) => [s]));
      }
      if (!best && keep.length < 2) continue;
      const described = keep.map((m): DuplicateMember => ({
        repository: m.repository,
        file: m.file,
        name: m.implementation.name,
        kind: m.implementation.kind,
        exportedAs: m.implementation.exportedAs,
        line: m.implementation.line,
        lines: m.implementation.lines,
        surface: surfaceOf(m.implementation),
        importers: importers(m),
        score:
          m.implementation.fingerprint.length >= MIN_FINGERPRINT &&
          m.implementation.fingerprint === target.fingerprint
            ? 1
            : Math.round(similarity(m.implementation.members, target.members).score * 100) / 100,
      }));
      const shared = [...target.members.keys()]
        .filter((name) => keep.every((m) => m.implementation.members.has(name)))
        .sort();
      const canonical: CanonicalChoice = best
        ? {
            module: options.canonicalPackage ?? 'unified-ws',
            name: best.name,
            surface: surfaceOf(best.implementation),
          }
        : {
            module: head.file,
            name: head.implementation.exportedAs[0] ?? head.implementation.name,
            member: described[0] as DuplicateMember,
            surface: surfaceOf(head.implementation),
          };
      result.push({ id: 0, canonical, shared, members: described });
    }
    result.sort(
      (a, b) =>
        b.members.length - a.members.length ||
        (a.members[0]?.file ?? '').localeCompare(b.members[0]?.file ?? ''),
    );
    result.forEach((group, i) => (group.id = i + 1));
    return result;
  }
}
