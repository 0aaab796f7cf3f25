import type { Writable } from 'node:stream';

export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  /** Resolves when the user asks a long-running command to stop (SIGINT/SIGTERM in the bin). */
  interrupted: Promise<void>;
}

export interface Command {
  summary: string;
  usage: string;
  /** Resolves with an exit code; throws ExitError for a failure with a message. */
  run(argv: string[], io: CommandIO): Promise<number>;
}
