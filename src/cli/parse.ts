import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, ExitError } from './exit-error';
import { closest } from './format';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with unknown or malformed flags turned into a usage ExitError. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The `--manifest file` option every command that reads legacy uses takes (once: see parse). */
export const MANIFEST_OPTION = { manifest: { type: 'string' } } as const satisfies Options;

/**
 * Parses a command's flags. An unknown flag is one line naming the closest valid one ("did you
 * mean --dry-run?") and where the full usage is; other malformed flags say what parseArgs said.
 * A flag with a value given twice is refused too, rather than the last one silently winning
 * (`--manifest fs.json --manifest path.json` would read path.json only).
 */
export function parse(argv: string[], options: Options, command: string): Parsed {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    // No option here is `multiple`, so no value is an array. (--help never gets this far: the
    // entry answers it for every command.)
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const help = `run "unified-ws ${command} --help" for its options`;
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec((error as Error).message)?.[1];
    if (unknown) {
      const flags = Object.keys(options).map((name) => `--${name}`);
      const guess = closest(unknown.replace(/=.*$/, ''), flags);
      throw new ExitError(
        EXIT.USAGE,
        `unknown option ${unknown}${guess ? ` (did you mean ${guess}?)` : ''}: ${help}`,
      );
    }
    throw new ExitError(EXIT.USAGE, `${(error as Error).message.split('\n')[0]}: ${help}`);
  }
  refuseRepeated(parsed.tokens ?? [], options, command);
  return { values: parsed.values, positionals: parsed.positionals } as Parsed;
}

/** One usage error for a flag with a value given more than once (a boolean twice is harmless). */
function refuseRepeated(
  tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>,
  options: Options,
  command: string,
): void {
  const given = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option?.type !== 'string' || option.multiple) continue;
    given.set(token.name, [...(given.get(token.name) ?? []), token.value ?? '']);
  }
  for (const [name, values] of given)
    if (values.length > 1)
      throw new ExitError(
        EXIT.USAGE,
        `--${name} given ${values.length} times (${values.join(', ')}): ${command} ${
          name === 'manifest'
            ? 'reads one manifest; put the entries of all of them in one file'
            : `takes one --${name}`
        }`,
      );
}

/** The `--manifest` value of parsed flags, as the options object library calls take. */
export function manifestOption(values: Parsed['values']): { manifest?: string } {
  return values.manifest === undefined ? {} : { manifest: String(values.manifest) };
}

/** A directory argument (default: the working directory), resolved; anything else is a usage error. */
export function directoryArgument(path: string | undefined): string {
  const dir = resolve(path ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ExitError(EXIT.USAGE, `${dir} is not a directory`);
  return dir;
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ExitError(EXIT.USAGE, `--port must be an integer from 0 to 65535, not "${value}"`);
  return port;
}
