import type { File, ImportDeclaration, Node, StringLiteral } from '@babel/types';
import {
  canonicalSpecifierFrom,
  canonicalTargetOf,
  exportFor,
  requiresOf,
  satisfiesRequires,
} from '../../manifest/targets';
import type { LegacyExport, ManifestEntry } from '../../manifest/types';
import { relative } from 'node:path';
import { lineRange, lineStartOf, type TextEdit } from './edits';
import type { CreatedImport } from './imports';
import { specifierKey, type Targets } from './import-targets';
import type { FormatStyle } from './format-style';
import { Markers, referenceTo, type MarkerReport, type NameNote, type Said } from './markers';
import type { ModuleExports } from './module-exports';
import type { ModuleResolver } from './module-resolver';
import { collectReferences, type Reference } from './scope';
import { SpecifierList } from './specifier-list';
import { statementComments, type CommentRange, type StatementComments } from './statement-comments';
import { walk } from './walk';
import { relativeImportStyle, specifierExtension, type ExtensionStyle } from '../import-extension';

/** The project conventions found with one resolver (one per manifest and root), by directory. */
const styleCaches = new WeakMap<ModuleResolver, Map<string, ExtensionStyle>>();
function projectStyles(resolver: ModuleResolver): Map<string, ExtensionStyle> {
  let cache = styleCaches.get(resolver);
  if (!cache) {
    cache = new Map();
    styleCaches.set(resolver, cache);
  }
  return cache;
}

export { MARKER_MAX_LENGTH, markerComment, type MarkerReport } from './markers';

/**
 * The state of one file's rewrite: the original text, its edits, the markers, and the canonical
 * imports that specifiers are merged into. Edits are ranges of the original text, so everything
 * no rewrite touches keeps its bytes.
 */
export class RewriteContext {
  readonly edits: TextEdit[] = [];
  readonly codes = new Set<string>();
  private readonly marks: Markers;
  /** Canonical import declarations, existing or created by an in-place rewrite, by specifier and kind. */
  private readonly targetsBySpecifier = new Map<string, Targets>();
  /** Canonical imports to create after a legacy declaration that stays (partly) on its shim. */
  readonly created = new Map<string, CreatedImport>();
  private references: Map<string, Reference[]> | undefined;
  private readonly unmet = new WeakMap<LegacyExport, string>();
  /** How this file writes relative specifiers (read once, on first need). */
  private extensionStyle: ExtensionStyle | undefined;
  private readonly lists = new Map<ImportDeclaration, SpecifierList>();
  /** The file's comments, in source order. */
  private readonly comments: readonly CommentRange[];

  constructor(
    readonly source: string,
    readonly ast: File,
    /** Which manifest entry a specifier names, and what is installed for the repository. */
    readonly resolver: ModuleResolver,
    /** The file being rewritten (absolute). */
    readonly filePath: string,
    /** Names bound at the top level of the file, for collision checks. */
    readonly topLevel: ReadonlySet<string>,
    /** The project's prettier style, when it has a prettier config: rewritten imports follow it. */
    readonly style?: FormatStyle,
    /** The real exports of the legacy module a specifier names, where its source can be read. */
    readonly legacyExportsOf: (specifier: string) => ModuleExports | undefined = () => undefined,
  ) {
    this.comments = (ast.comments ?? []).map((c) => ({ start: c.start ?? 0, end: c.end ?? 0 }));
    this.marks = new Markers(
      source,
      this.comments,
      (offset) => this.lineOf(offset),
      referenceTo(resolver.manifest, resolver.root),
    );
  }

  /** The markers of the file, one per marker line it has after the rewrite (after flushMarkers). */
  get markers(): MarkerReport[] {
    return this.marks.reports;
  }

  /** The one editor of an import declaration's specifier list. */
  listOf(node: ImportDeclaration): SpecifierList {
    let list = this.lists.get(node);
    if (!list) {
      list = new SpecifierList(this.source, node, this.comments);
      this.lists.set(node, list);
    }
    return list;
  }

  /** Writes the edits of every specifier list (once, after every site was rewritten). */
  flushLists(): void {
    for (const list of this.lists.values()) this.edits.push(...list.edits(this.style));
  }

  /** The comments of a statement: own-line ones right above it, and those after it on its line. */
  commentsOf(node: Node): StatementComments {
    return statementComments(this.source, this.comments, node);
  }

  /**
   * Removes a statement with its whole line and its comments (commentsOf: whoever moves its names
   * takes them along), and the blank line after it where keeping it would leave two blank lines in
   * a row (or a blank first line): never a blank-line run.
   */
  removeStatement(node: Node): void {
    const { above, trailing } = this.commentsOf(node);
    for (const line of above) this.edit(line.start, line.end, '');
    const range = lineRange(this.source, node.start ?? 0, trailing.at(-1)?.end ?? node.end ?? 0);
    let end = range.end;
    const blankAfter = /^[ \t]*\r?\n/.exec(this.source.slice(end));
    const before = this.source.slice(0, above[0]?.start ?? range.start);
    const blankBefore = range.start === 0 || /\n[ \t]*\r?\n$/.test(before) || /^\s*$/.test(before);
    if (blankAfter && blankBefore && range.start === lineStartOf(this.source, range.start))
      end += blankAfter[0].length;
    this.edit(range.start, end, '');
  }

  /** Every reference to a top-level binding `name` (computed once per file, on first need). */
  refs(name: string): Reference[] {
    if (!this.references) {
      const names = new Set<string>();
      walk(this.ast.program, (node) => {
        if (node.type === 'Identifier' || node.type === 'JSXIdentifier') names.add(node.name);
      });
      this.references = collectReferences(this.ast.program, names);
    }
    return this.references.get(name) ?? [];
  }

  /** The specifier now names the canonical module: the whole rewrite of a same-object site. */
  retarget(literal: StringLiteral, entry: ManifestEntry): void {
    this.replaceLiteral(literal, this.canonicalFor(entry));
    this.codes.add(entry.code);
  }

  /**
   * How this file imports an entry's canonical target: a package or builtin specifier as it is, a
   * tsconfig alias as written, a repository file as the relative path from this file, with the
   * extension its relative imports take (relativeImportStyle: the file's own, else its project's —
   * `.js` for ESM under node16/nodenext).
   */
  canonicalFor(entry: ManifestEntry): string {
    const target = canonicalTargetOf(this.resolver.manifest, entry);
    if (target.kind !== 'file') return target.specifier;
    this.extensionStyle ??= relativeImportStyle(
      this.ast.program.body,
      this.filePath,
      this.resolver.root,
      projectStyles(this.resolver),
    );
    const from = relative(this.resolver.root, this.filePath).replace(/\\/g, '/');
    return canonicalSpecifierFrom(target, from, {
      extension: specifierExtension(this.extensionStyle, target.path),
    });
  }

  /** The canonical import targets of one canonical specifier, by kind. */
  targetsFor(specifier: string): Targets {
    let targets = this.targetsBySpecifier.get(specifier);
    if (!targets) {
      targets = {};
      this.targetsBySpecifier.set(specifier, targets);
    }
    return targets;
  }

  /** Every canonical specifier the manifest's entries are imported by in this file. */
  canonicalSpecifiers(): Set<string> {
    return new Set(this.resolver.manifest.entries.map((entry) => this.canonicalFor(entry)));
  }

  /**
   * How a legacy name of an entry is rewritten here: its own export, else the entry's `"*"`; a
   * mapping whose `requires` the installed canonical package does not meet becomes `manual`, so
   * the use gets a marker instead of a rewrite to a name that does not exist yet.
   */
  mapping(entry: ManifestEntry, name: string): LegacyExport | undefined {
    const exp = exportFor(entry, name);
    if (!exp || exp.rewrite === 'stays' || exp.rewrite === 'manual') return exp;
    const range = requiresOf(entry, exp);
    if (range === undefined) return exp;
    const target = canonicalTargetOf(this.resolver.manifest, entry);
    const installed =
      target.kind === 'package' && target.packageName !== undefined
        ? this.resolver.installedVersion(target.packageName)
        : undefined;
    if (satisfiesRequires(installed, range)) return exp;
    const { calls: _calls, ...rest } = exp;
    const unmet: LegacyExport = {
      ...rest,
      rewrite: 'manual',
      replacement: `${exp.replacement} once ${target.specifier}@${range} is installed (installed: ${installed ?? 'none'})`,
    };
    this.unmet.set(unmet, `${target.specifier}@${range} (installed: ${installed ?? 'none'})`);
    return unmet;
  }

  /** The version condition a mapping is manual for here (`pkg@range (installed: …)`), if that is why. */
  unmetCondition(exp: LegacyExport): string | undefined {
    return this.unmet.get(exp);
  }

  /**
   * The marker note of a name left as it is: the version condition its mapping needs when that is
   * why it is manual here, else that it has no safe automatic rewrite.
   */
  manualNote(exp: LegacyExport, name: string): NameNote {
    const unmet = this.unmet.get(exp);
    return unmet
      ? {
          name,
          one: `{names} needs ${unmet}; left as it is`,
          many: `{names} need ${unmet}; left as they are`,
        }
      : {
          name,
          one: '{names} has no safe automatic rewrite',
          many: '{names} have no safe automatic rewrite',
        };
  }

  /** True when every name of the entry is the canonical object under the same name, here. */
  allSameObject(entry: ManifestEntry): boolean {
    return entry.exports.every((e) => this.mapping(entry, e.name)?.rewrite === 'same-object');
  }

  /** A local name for a canonical import that no other binding of the file uses. */
  localFor(name: string, typeOnly: boolean, from: string): string {
    const targets = this.targetsFor(from);
    const held = [...(targets.value?.holds ?? []), ...(targets.type?.holds ?? [])];
    if (
      held.includes(specifierKey(name, name, typeOnly)) ||
      held.includes(specifierKey(name, name, !typeOnly))
    )
      return name;
    if (!this.topLevel.has(name)) return name;
    let candidate = `${name}Canonical`;
    for (let i = 2; this.topLevel.has(candidate); i++) candidate = `${name}Canonical${i}`;
    return candidate;
  }

  edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  text(node: Node): string {
    return this.source.slice(node.start ?? 0, node.end ?? 0);
  }

  /** The literal rewritten to another specifier, in the literal's own quotes. */
  replaceLiteral(literal: StringLiteral, value: string): void {
    const quote = this.source[literal.start ?? 0] ?? "'";
    this.edit(literal.start ?? 0, literal.end ?? 0, `${quote}${value}${quote}`);
  }

  quoteOf(literal: StringLiteral): string {
    return this.source[literal.start ?? 0] ?? "'";
  }

  lineOf(offset: number): number {
    let line = 1;
    for (let i = 0; i < offset; i++) if (this.source.charCodeAt(i) === 10) line++;
    return line;
  }

  /**
   * Says why a statement is not (wholly) rewritten: a sentence, or a note about one of its names.
   * A statement gets one `// unified-ws(CODE): …` line per code, naming every name noted (flushMarkers).
   */
  mark(entry: ManifestEntry, statement: Node, said: Said, detail?: string): void {
    this.marks.add(entry, statement, said, detail);
  }

  /** A statement with a use of the entry: a marker of its code above it goes unless it is marked again. */
  visit(entry: ManifestEntry, statement: Node): void {
    this.marks.visit(entry, statement);
  }

  /** Writes the marker lines (once, after every site was rewritten). */
  flushMarkers(): void {
    this.edits.push(...this.marks.edits());
  }
}
