import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, ExitError } from './exit-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs, with unknown or malformed flags turned into a usage ExitError. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(argv: string[], options: Options, usage: string): Parsed {
  try {
    // No option here is `multiple`, so no value is an array. (--help never gets this far: the
    // entry answers it for every command.)
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (error) {
    throw new ExitError(EXIT.USAGE, `${(error as Error).message}\n\n${usage}`);
  }
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ExitError(EXIT.USAGE, `--port must be an integer from 0 to 65535, not "${value}"`);
  return port;
}
