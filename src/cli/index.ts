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

const SUMMARIES: Record<string, string> = {
  serve: 'run a WebSocket server with the demo agent (--dev-auth)',
  demo: 'migrate the bundled legacy app step by step (what npm start runs)',
  'golden-path': 'the five agent events of two users, end to end, on loopback',
  audit: 'count legacy uses across repositories, by code and owner; flag duplicate implementations',
  check: 'fail CI on legacy imports, or on new ones beyond a baseline',
  migrate: 'apply the consolidation in verified steps, one git commit each',
  revert: 'undo one migration step exactly',
  report: 'aggregate deprecation telemetry: what is still used, and which shims are safe to remove',
};

function help(): string {
  const lines = Object.entries(SUMMARIES).map(
    ([name, summary]) => `  ${name.padEnd(8)} ${summary}`,
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
  try {
    return await load().run(rest, io);
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
