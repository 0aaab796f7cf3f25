import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'codemods', '__testfixtures__');
const JSCODESHIFT = join(ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');

describe('the transforms run on their own under jscodeshift', () => {
  const defer = useCleanup();

  function copy(transform: string, names: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-jscodeshift-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    for (const name of names)
      copyFileSync(join(FIXTURES, transform, name), join(dir, name.replace('.input.', '.')));
    return dir;
  }

  function run(transform: string, dir: string) {
    return spawnSync(
      process.execPath,
      [
        JSCODESHIFT,
        '-t',
        join(ROOT, 'codemods', `${transform}.ts`),
        '--extensions=ts,tsx,js',
        '--run-in-band',
        dir,
      ],
      { encoding: 'utf8' },
    );
  }

  it('npx jscodeshift -t codemods/legacy-to-canonical.ts rewrites, reports markers and parse errors, and leaves bad files alone', () => {
    const names = [
      'call-rewrite-factory.input.ts',
      'comments-and-formatting.input.ts',
      'jsx-component.input.tsx',
      'marker-adapter.input.ts',
      'commonjs-file.input.js',
    ];
    const dir = copy('legacy-to-canonical', names);
    const broken =
      "import { WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\nconst = ;\n";
    writeFileSync(join(dir, 'broken.ts'), broken);
    const result = run('legacy-to-canonical', dir);
    expect(result.status).toBe(0);
    for (const name of names) {
      expect([name, readFileSync(join(dir, name.replace('.input.', '.')), 'utf8')]).toEqual([
        name,
        readFileSync(
          join(FIXTURES, 'legacy-to-canonical', name.replace('.input.', '.output.')),
          'utf8',
        ),
      ]);
    }
    expect(readFileSync(join(dir, 'broken.ts'), 'utf8')).toBe(broken);
    expect(result.stdout).toMatch(/broken\.ts:2:\d+: not parsed, left untouched/);
    expect(result.stdout).toMatch(/marker-adapter\.ts:\d+: UWS005:/);
  });

  it('npx jscodeshift -t codemods/canonical-to-legacy.ts reverses', () => {
    const dir = copy('canonical-to-legacy', ['split.input.ts']);
    expect(run('canonical-to-legacy', dir).status).toBe(0);
    expect(readFileSync(join(dir, 'split.ts'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'canonical-to-legacy', 'split.output.ts'), 'utf8'),
    );
  });
});
