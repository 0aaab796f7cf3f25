import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCodemod } from '../../src/migration/runner';
import { useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');

describe('a consumer project before and after the codemod', () => {
  const defer = useCleanup();

  /** The fixture project in a temp dir, with unified-ws installed as a link to this package. */
  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-consumer-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(ROOT, 'test', 'fixtures', 'consumer-project'), dir, { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'unified-ws'), 'dir');
    symlinkSync(
      join(ROOT, 'node_modules', '@types', 'node'),
      join(dir, 'node_modules', '@types', 'node'),
      'dir',
    );
    return dir;
  }

  function typecheckAndTest(dir: string): void {
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      { encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const tests = spawnSync(process.execPath, ['--test', join(dir, 'build')], {
      encoding: 'utf8',
      env: { ...process.env, UNIFIED_WS_DEPRECATIONS: 'silent' },
    });
    expect([tests.status, tests.stdout.includes('# fail 0')]).toEqual([0, true]);
  }

  it('type-checks and passes its tests before, and still after', async () => {
    const dir = project();
    typecheckAndTest(dir);
    const report = await runCodemod({ root: join(dir, 'src') });
    expect(report.counts.changed).toBe(1);
    expect(report.counts['parse-error']).toBe(0);
    const migrated = readFileSync(join(dir, 'src', 'app.ts'), 'utf8');
    expect(migrated).not.toMatch(
      /from 'unified-ws\/websocket-core\/(unified-manager|websocket-manager|manager|websocket-manager-factory|protocols)'/,
    );
    typecheckAndTest(dir);
  });
});
