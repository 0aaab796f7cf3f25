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

/** Resolves once a stream has written everything queued on it (or can write no more). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('drain', resolve);
    stream.once('error', resolve);
    stream.once('close', resolve);
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
  }).then(async (code) => {
    process.exitCode = code;
    // Output still queued for a slow reader (a pipe) would be cut at exit: let it drain first.
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    // Commands close everything they open; exiting here also ends the signal listeners above.
    process.exit(code);
  });
}
