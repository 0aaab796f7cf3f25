import { runCli } from '../helpers';

describe('--help', () => {
  it.each([
    'serve',
    'demo',
    'golden-path',
    'audit',
    'check',
    'migrate',
    'shim',
    'revert',
    'report',
    'campaign',
  ])('unified-ws %s --help, and help with its name, print its usage and exit 0', async (name) => {
    for (const argv of [
      [name, '--help'],
      ['help', name],
    ]) {
      const result = await runCli(argv);
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(`Usage: unified-ws ${name}`)).toBe(true);
    }
  });

  it('unified-ws help <unknown> says so, as an unknown command does', async () => {
    const result = await runCli(['help', 'shimm']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "shimm" (did you mean shim?)');
  });

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
      'shim',
      'revert',
      'report',
      'campaign',
    ])
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
  });
});
