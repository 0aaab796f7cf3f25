#!/usr/bin/env node
import type { Command, CommandIO } from './command';
import { EXIT, ExitError } from './exit-error';

// Loaded lazily: `unified-ws serve` should not pay for the code of other commands. require(),
// not import(): the package is CommonJS, and one module system keeps one module instance.
const COMMANDS: Record<string, () => Command> = {
  serve: () => (require('./serve') as typeof import('./serve')).serve,
  demo: () => (require('./demo') as typeof import('./demo')).demo,
  'golden-path': () => (require('./golden-path') as typeof import('./golden-path')).goldenPath,
  audit: () => (require('./audit') as typeof import('./audit')).audit,
  check: () => (require('./check') as typeof import('./check')).check,
  migrate: () => (require('./migrate') as typeof import('./migrate')).migrate,
  revert: () => (require('./revert') as typeof import('./revert')).revert,
  report: () => (require('./report') as typeof import('./report')).report,
};

/** Every command with its one-line summary (this loads them all: only for the help text). */
function help(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, load]) => `  ${name.padEnd(12)} ${load().summary}`,
  );
  return `Usage: unified-ws <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "unified-ws <command> --help" for a command's options.`;
}

/** Runs the CLI; resolves with the exit code. Exported for tests; the bin calls it below. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${help()}\n`);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`unknown command "${name}"\n\n${help()}\n`);
    return EXIT.USAGE;
  }
  const command = load();
  // --help is answered here, once for every command, before its own flags are checked.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ExitError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `internal error: ${(error as Error)?.stack ?? String(error)}\n\nThis is a bug in unified-ws. Please open an issue with the command you ran, the output above and \`node --version\`.\n`,
    );
    return EXIT.INTERNAL;
  }
}

if (require.main === module) {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  void main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    interrupted,
  }).then((code) => {
    process.exitCode = code;
    // Commands close everything they open; exiting here also ends the signal listeners above.
    process.exit(code);
  });
}
