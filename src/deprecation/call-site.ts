import { relative, sep } from 'node:path';

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

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
    const file = (match[1] ?? '').replace(/^file:\/\//, '');
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

/**
 * The first stack frame outside unified-ws and Node's internals, as `file:line:column` relative to
 * the working directory. Captured with a small stack limit: only the first use of a code and the
 * sampled ones pay for it (a few microseconds), never the counted hot path.
 */
export function captureCallSite(
  internalRoots: readonly string[],
  skip: (...args: never[]) => unknown,
  limit = 24,
): string | undefined {
  let dependency: string | undefined;
  for (const { file, line, column } of framesAbove(skip, limit)) {
    if (internalRoots.some((root) => file.startsWith(root))) continue;
    const site = `${relative(process.cwd(), file) || file}:${line}:${column}`;
    // Module loaders (jest's, bundlers') sit between an import and the importing file: prefer
    // the first frame outside node_modules, else the first dependency that called us.
    if (!file.includes(`${sep}node_modules${sep}`)) return site;
    dependency ??= site;
  }
  return dependency;
}
