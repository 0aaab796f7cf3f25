import { relative, sep } from 'node:path';

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

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
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.captureStackTrace(holder, skip);
  Error.stackTraceLimit = previous;
  let dependency: string | undefined;
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const file = (match[1] ?? '').replace(/^file:\/\//, '');
    if (
      file.startsWith('node:') ||
      !file.includes(sep) ||
      internalRoots.some((root) => file.startsWith(root))
    )
      continue;
    const site = `${relative(process.cwd(), file) || file}:${match[2]}:${match[3]}`;
    // Module loaders (jest's, bundlers') sit between an import and the importing file: prefer
    // the first frame outside node_modules, else the first dependency that called us.
    if (!file.includes(`${sep}node_modules${sep}`)) return site;
    dependency ??= site;
  }
  return dependency;
}
