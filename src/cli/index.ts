#!/usr/bin/env node
// The bin: wires the process to the CLI, and nothing else.
import { main } from './main';

export { main };

/**
 * Output piped into a reader that stops early (`unified-ws check | head -1`) must not turn into a
 * stack trace: once stdout or stderr is closed, further writes are dropped and the command ends
 * with its own exit code.
 */
function survivePipeClose(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

if (require.main === module) {
  survivePipeClose(process.stdout);
  survivePipeClose(process.stderr);
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
