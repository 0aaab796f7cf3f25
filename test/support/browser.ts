import puppeteer, { type Browser } from 'puppeteer-core';
import { ensureSystemTool, SYSTEM_TOOLS } from './system-deps';

/**
 * A headless Chromium for the tests that look at a page as a person would: the system's own
 * browser (the global setup installs it when missing), driven by puppeteer-core, which never
 * downloads one. Close it with `closeBrowser` in afterAll.
 */
export async function launchBrowser(): Promise<Browser> {
  // The global setup already put it on PATH: here a missing browser is an error, never an install.
  const executablePath = ensureSystemTool(SYSTEM_TOOLS.chromium, { apt: false });
  return puppeteer.launch({
    executablePath,
    headless: true,
    // --no-sandbox: CI runs the tests as root, where Chromium refuses its sandbox.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--font-render-hinting=none',
    ],
    timeout: 30_000,
    protocolTimeout: 30_000,
  });
}

/** Closes the browser and waits for its process to end; kills it when closing does not. */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (browser === undefined) return;
  const child = browser.process();
  const exited =
    child === null || child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      browser.close(),
      new Promise((resolve) => (timer = setTimeout(resolve, 10_000))),
    ]);
  } finally {
    clearTimeout(timer);
    if (child !== null && child.exitCode === null && child.signalCode === null)
      child.kill('SIGKILL');
    await exited;
  }
}
