import { PassThrough } from 'node:stream';
import { progressFor } from '../../src/cli/progress';

function stream(
  tty: boolean,
): PassThrough & { isTTY?: boolean; columns?: number; output: () => string } {
  const s = new PassThrough() as PassThrough & {
    isTTY?: boolean;
    columns?: number;
    output: () => string;
  };
  let text = '';
  s.on('data', (chunk) => (text += chunk));
  s.output = () => text;
  if (tty) {
    s.isTTY = true;
    s.columns = 80;
    Object.assign(s, { cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  }
  return s;
}

describe('progress', () => {
  it.each([
    ['a pipe', false, {}],
    ['a terminal in CI', true, { CI: 'true' }],
  ])('stays quiet on %s', (_name, tty, env) => {
    const out = stream(tty);
    const progress = progressFor(out, env);
    progress.start(3, 'UWS004');
    progress.tick();
    progress.stop();
    expect(out.output()).toBe('');
  });

  it('draws a bar on an interactive terminal', () => {
    const out = stream(true);
    const progress = progressFor(out, {});
    progress.start(3, 'UWS004');
    progress.tick();
    progress.tick();
    progress.stop();
    expect(out.output()).toContain('UWS004');
    expect(out.output()).toMatch(/2\/3|3\/3/);
  });
});
