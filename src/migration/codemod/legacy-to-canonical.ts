import type { ExportAllDeclaration, ExportNamedDeclaration, ImportDeclaration } from '@babel/types';
import type { ManifestEntry } from '../../manifest/types';
import { applyEdits } from './edits';
import { exportAll, exportNamed } from './exports';
import { adoptTarget, flushTargets, importDeclaration } from './imports';
import type { ModuleResolver } from './module-resolver';
import { parseOrReport } from './parse';
import { rewriteParseFailure } from './check-parse';
import { rewrapped } from './rewrap';
import { importEquals, importType, pathOnly, requireCall } from './requires';
import { RewriteContext, type MarkerReport } from './rewrite-context';
import { topLevelNames } from './scope';
import { findSites, statementOf, type Site } from './sites';
import { prettierStyle } from './format-style';
import { moduleExports } from './module-exports';

export { findSites, type Site } from './sites';

export type FileStatus = 'changed' | 'unchanged' | 'marker' | 'parse-error';

/** The outcome for one file, with a reason code the runner reports. */
export interface FileResult {
  status: FileStatus;
  output: string;
  /** Deprecation codes whose uses were rewritten. */
  codes: string[];
  markers: MarkerReport[];
  error?: { line: number; column: number; message: string };
}

/** Legacy → canonical for one file. Unchanged bytes stay unchanged; see FileResult for the outcome. */
export function legacyToCanonical(
  source: string,
  filePath: string,
  resolver: ModuleResolver,
): FileResult {
  const unchanged: FileResult = { status: 'unchanged', output: source, codes: [], markers: [] };
  const occurrences = occurrencesOf(source, resolver.needles);
  if (occurrences.length === 0) return unchanged;
  const ast = parseOrReport(source, filePath);
  if ('status' in ast) return ast;
  // A legacy specifier is written with its needle in it, so only statements holding one are walked.
  const sites = findSites(ast, (start, end) => holdsOffset(occurrences, start, end));
  const legacy = sites
    .map((site) => ({ site, entry: resolver.resolve(site.literal.value, filePath) }))
    .filter((s): s is { site: Site; entry: ManifestEntry } => s.entry !== undefined);
  if (legacy.length === 0) return unchanged;

  const context = new RewriteContext(
    source,
    ast,
    resolver,
    filePath,
    topLevelNames(ast.program.body),
    prettierStyle(filePath, resolver.root),
    (specifier: string) => {
      const file = resolver.legacyFile(specifier, filePath) ?? resolver.legacyTypes(specifier);
      return file === undefined ? undefined : moduleExports(file);
    },
  );
  const canonical = context.canonicalSpecifiers();
  for (const site of sites) {
    if (site.kind === 'import' && canonical.has(site.literal.value))
      adoptTarget(context, site.node as ImportDeclaration);
  }
  for (const { site, entry } of legacy) {
    context.visit(entry, statementOf(site));
    rewrite(context, site, entry);
  }
  flushTargets(context);
  context.flushMarkers();

  const edits = rewrapped(source, ast.program.body, context.edits, context.style, filePath);
  const output = applyEdits(source, edits);
  if (output === source) return { ...unchanged, markers: context.markers };
  // Never write what does not parse: report it (a bug), leave the file as it was.
  const failure = rewriteParseFailure(source, ast, edits, filePath);
  if (failure)
    return {
      ...unchanged,
      status: 'parse-error',
      error: {
        line: failure.line,
        column: failure.column,
        message: `the rewrite would not parse (a bug): ${failure.message}`,
      },
    };
  return {
    status: context.codes.size > 0 ? 'changed' : 'marker',
    output,
    codes: [...context.codes].sort(),
    markers: context.markers,
  };
}

/** Every offset where one of the needles starts, ascending. */
function occurrencesOf(source: string, needles: readonly string[]): number[] {
  const offsets: number[] = [];
  for (const needle of needles) {
    if (needle === '') continue;
    for (let at = source.indexOf(needle); at !== -1; at = source.indexOf(needle, at + 1))
      offsets.push(at);
  }
  return offsets.sort((a, b) => a - b);
}

/** Whether a sorted offset list has one in [start, end). */
function holdsOffset(offsets: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((offsets[middle] as number) < start) low = middle + 1;
    else high = middle;
  }
  return low < offsets.length && (offsets[low] as number) < end;
}

/** Sends each site to the room that rewrites its kind. */
function rewrite(ctx: RewriteContext, site: Site, entry: ManifestEntry): void {
  switch (site.kind) {
    case 'import':
      return importDeclaration(ctx, site, site.node as ImportDeclaration, entry);
    case 'export-named':
      return exportNamed(ctx, site, site.node as ExportNamedDeclaration, entry);
    case 'export-all':
      return exportAll(ctx, site, site.node as ExportAllDeclaration, entry);
    case 'require':
      return requireCall(ctx, site, entry);
    case 'require-resolve':
      return ctx.retarget(site.literal, entry);
    case 'dynamic-import':
    case 'mock':
    case 'declare-module':
      return pathOnly(ctx, site, entry);
    case 'import-type':
      return importType(ctx, site, entry);
    case 'import-equals':
      return importEquals(ctx, site, entry);
  }
}
