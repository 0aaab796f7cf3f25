import { ensureSystemTool, SYSTEM_TOOLS } from './system-deps';

/**
 * Jest's globalSetup: puts every system program the tests need on PATH once per run, before any
 * worker starts, so `npm test` passes on a fresh machine and apt-get never runs twice at once.
 */
export default function globalSetup(): void {
  for (const tool of Object.values(SYSTEM_TOOLS)) {
    try {
      ensureSystemTool(tool);
    } catch (error) {
      // Jest prefixes the message with "Got error running globalSetup - <path>, reason:" and adds
      // the stack; the one line that says what to install comes first, on its own, to be seen.
      process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n\n`);
      throw error;
    }
  }
}
