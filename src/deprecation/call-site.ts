import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPosition } from './source-map';

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

/** A frame's file as a path: an ES module's is a `file://` URL. */
function pathOf(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file.replace(/^file:\/\//, '');
  }
}

/** The stack frames above `skip` (Node's internals left out): file, line and column of each. */
function framesAbove(
  skip: (...args: never[]) => unknown,
  limit: number,
): { file: string; line: string; column: string }[] {
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.captureStackTrace(holder, skip);
  Error.stackTraceLimit = previous;
  const frames: { file: string; line: string; column: string }[] = [];
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const file = pathOf(match[1] ?? '');
    if (file.startsWith('node:') || !file.includes(sep)) continue;
    frames.push({ file, line: match[2] ?? '', column: match[3] ?? '' });
  }
  return frames;
}

/** The file of the code that called `fn` (the first frame above it outside `internalRoots`). */
export function callerFile(
  internalRoots: readonly string[],
  fn: (...args: never[]) => unknown,
): string | undefined {
  return framesAbove(fn, 8).find(({ file }) => !internalRoots.some((root) => file.startsWith(root)))
    ?.file;
}

/** `file:line:column` relative to the working directory, in source terms when the file has a map. */
function siteOf(file: string, line: string, column: string): string {
  const original = originalPosition(file, Number(line), Number(column));
  const where = original?.source ?? file;
  // A source that names no file (`webpack://app/src/x.ts`) is shown as the map names it.
  const shown = (isAbsolute(where) && relative(process.cwd(), where)) || where;
  return original ? `${shown}:${original.line}:${original.column}` : `${shown}:${line}:${column}`;
}

/**
 * The first stack frame outside unified-ws and Node's internals, as `file:line:column` relative to
 * the working directory — mapped to the original source (`src/server.ts:14:19`, not
 * `build/server.js:13:26`) when the frame's file has a source map (see ./source-map; with
 * --enable-source-maps Node has mapped the frame already). Captured with a small stack limit: only
 * the first use of a code and the sampled ones pay for it (a few microseconds, and one read of each
 * file's map), never the counted hot path.
 */
export function captureCallSite(
  internalRoots: readonly string[],
  skip: (...args: never[]) => unknown,
  limit = 24,
): string | undefined {
  let dependency: { file: string; line: string; column: string } | undefined;
  for (const frame of framesAbove(skip, limit)) {
    if (internalRoots.some((root) => frame.file.startsWith(root))) continue;
    // Module loaders (jest's, bundlers') sit between an import and the importing file: prefer
    // the first frame outside node_modules, else the first dependency that called us.
    if (!frame.file.includes(`${sep}node_modules${sep}`))
      return siteOf(frame.file, frame.line, frame.column);
    dependency ??= frame;
  }
  return dependency && siteOf(dependency.file, dependency.line, dependency.column);
}
