import { runCli } from '../helpers';

describe('--help', () => {
  it.each(['serve', 'demo', 'golden-path', 'audit', 'check', 'migrate', 'revert', 'report'])(
    'unified-ws %s --help prints its usage and exits 0',
    async (name) => {
      const result = await runCli([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(`Usage: unified-ws ${name}`)).toBe(true);
    },
  );

  it('lists every command with its summary', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const name of [
      'serve',
      'demo',
      'golden-path',
      'audit',
      'check',
      'migrate',
      'revert',
      'report',
    ])
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
  });
});
