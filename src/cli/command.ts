import type { Writable } from 'node:stream';

/** What the caller of the CLI gives it: where output goes, and how it is asked to stop. */
export interface CommandIO {
  stdout: Writable;
  stderr: Writable;
  /** Resolves when the user asks a long-running command to stop (SIGINT/SIGTERM in the bin). */
  interrupted: Promise<void>;
}

/** What a command gets: the IO, and the CLI itself, for a command that runs others (demo). */
export interface CommandContext extends CommandIO {
  /**
   * Runs another command of this CLI with the same IO (or the one given: a command that runs
   * others side by side keeps their output apart); resolves with its exit code.
   */
  run(argv: string[], io?: CommandIO): Promise<number>;
}

export interface Command {
  summary: string;
  usage: string;
  /** Resolves with an exit code; throws ExitError for a failure with a message. */
  run(argv: string[], io: CommandContext): Promise<number>;
}
