import { SingleBar } from 'cli-progress';
import type { Writable } from 'node:stream';

export interface Progress {
  start(total: number, label: string): void;
  tick(): void;
  stop(): void;
}

const SILENT: Progress = { start: () => undefined, tick: () => undefined, stop: () => undefined };

/**
 * A progress bar on an interactive terminal, nothing at all in CI or when output is piped — a
 * log must not fill with redraws.
 */
export function progressFor(stream: Writable, env: NodeJS.ProcessEnv = process.env): Progress {
  const tty = (stream as Writable & { isTTY?: boolean }).isTTY === true;
  if (!tty || env.CI === 'true' || env.CI === '1') return SILENT;
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: ' {label} [{bar}] {value}/{total}',
    clearOnComplete: true,
    hideCursor: true,
  });
  return {
    start: (total, label) => bar.start(total, 0, { label }),
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
