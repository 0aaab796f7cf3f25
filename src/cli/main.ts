import { findPackage } from '../deprecation/package-info';
import type { Command, CommandContext, CommandIO } from './command';
import { EXIT, exitCodeOf } from './exit-error';
import { closest } from './format';

// Loaded lazily: `unified-ws serve` should not pay for the code of other commands. require(),
// not import(): the package is CommonJS, and one module system keeps one module instance.
const COMMANDS: Record<string, () => Command> = {
  serve: () => (require('./serve') as typeof import('./serve')).serve,
  demo: () => (require('./demo') as typeof import('./demo')).demo,
  'golden-path': () => (require('./golden-path') as typeof import('./golden-path')).goldenPath,
  audit: () => (require('./audit') as typeof import('./audit')).audit,
  check: () => (require('./check') as typeof import('./check')).check,
  migrate: () => (require('./migrate') as typeof import('./migrate')).migrate,
  shim: () => (require('./shim') as typeof import('./shim')).shim,
  revert: () => (require('./revert') as typeof import('./revert')).revert,
  report: () => (require('./report') as typeof import('./report')).report,
  campaign: () => (require('./campaign') as typeof import('./campaign')).campaign,
};

/** Every command with its one-line summary (this loads them all: only for the help text). */
function help(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, load]) => `  ${name.padEnd(12)} ${load().summary}`,
  );
  return `Usage: unified-ws <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "unified-ws <command> --help" (or "unified-ws help <command>") for a command's options, "unified-ws --version" for the version.`;
}

/**
 * Runs the CLI; resolves with the exit code. The one place errors become exit codes and messages:
 * an ExitError or a typed error the user can act on is its message alone; anything else is a bug,
 * shown with its stack and where to report it.
 */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  // `unified-ws help <command>` is `unified-ws <command> --help`.
  if (name === 'help' && rest[0] !== undefined && !rest[0].startsWith('-'))
    return main([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${help()}\n`);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`${findPackage().version}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    const guess = closest(name, Object.keys(COMMANDS));
    io.stderr.write(
      `unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}: run "unified-ws --help" for the commands\n`,
    );
    return EXIT.USAGE;
  }
  const command = load();
  // --help is answered here, once for every command, before its own flags are checked.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.OK;
  }
  const context: CommandContext = { ...io, run: (next, other) => main(next, other ?? io) };
  try {
    return await command.run(rest, context);
  } catch (error) {
    const code = exitCodeOf(error);
    if (code !== EXIT.INTERNAL) {
      io.stderr.write(`${(error as Error).message}\n`);
      return code;
    }
    io.stderr.write(
      `internal error: ${(error as Error)?.stack ?? String(error)}\n\nThis is a bug in unified-ws. Please open an issue with the command you ran, the output above and \`node --version\`.\n`,
    );
    return EXIT.INTERNAL;
  }
}
