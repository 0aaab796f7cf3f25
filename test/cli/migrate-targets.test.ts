import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject, useCleanup } from '../helpers';

const EXAMPLES = join(__dirname, '..', '..', 'docs', 'examples');

describe('migrate to targets that are not packages', () => {
  const defer = useCleanup();

  function repository(files: Record<string, string>): string {
    const dir = tempProject(defer, files, 'uws-targets-');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Tess Ter');
    git('config', 'user.email', 'tess@example.com');
    git('add', '-A');
    git('commit', '-qm', 'initial');
    return dir;
  }

  it('moves fs to node:fs with the example manifest: no "not installed" refusal for a builtin', async () => {
    const dir = repository({
      'src/app.ts': "import { readFileSync } from 'fs';\nexport const read = readFileSync;\n",
    });
    const run = await runCli([
      'migrate',
      dir,
      '--all',
      '--manifest',
      join(EXAMPLES, 'node-protocol.json'),
    ]);
    expect(run.stderr).not.toContain('not installed');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'src/app.ts'), 'utf8')).toBe(
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
  });

  it("names each entry's own canonical target in the commit message (fs/promises → node:fs/promises)", async () => {
    const dir = repository({
      'src/a.ts': "import { readFile } from 'fs/promises';\nexport const read = readFile;\n",
      'src/b.ts': "import { join } from 'path';\nexport const j = join;\n",
    });
    const manifest = join(EXAMPLES, 'node-protocol.json');
    const run = await runCli(['migrate', dir, '--all', '--manifest', manifest]);
    expect(run.code).toBe(0);
    const bodies = execFileSync('git', ['log', '--format=%b', 'HEAD~2..HEAD'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(bodies).toContain('- NODE002: fs/promises → node:fs/promises\n');
    expect(bodies).toContain('- NODE003: path → node:path\n');
    expect(bodies).not.toContain('→ node:fs\n');
  });

  it('moves to a repository file, written relative to each importer, with no install check', async () => {
    const manifest = JSON.stringify({
      package: '@old/socket',
      canonical: './src/core/socket.ts',
      entries: [
        {
          code: 'SOCK001',
          summary: 'Our socket, now in src/core.',
          since: '1.0.0',
          removeIn: '2.0.0',
          exports: [{ name: '*', rewrite: 'same-object' }],
        },
      ],
    });
    const dir = repository({
      'manifest.json': manifest,
      'src/core/socket.ts': 'export class Socket {}\n',
      'src/chat/room.ts': "import { Socket } from '@old/socket';\nexport const S = Socket;\n",
    });
    const run = await runCli(['migrate', dir, '--all', '--manifest', join(dir, 'manifest.json')]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'src/chat/room.ts'), 'utf8')).toBe(
      "import { Socket } from '../core/socket';\nexport const S = Socket;\n",
    );
  });

  it('a dry run names the refusal a real run would make for a package that is not installed', async () => {
    const manifest = JSON.stringify({
      package: 'old-lib',
      canonical: 'new-lib',
      entries: [
        {
          code: 'LIB001',
          summary: 'old-lib is new-lib now.',
          since: '2.0.0',
          removeIn: '3.0.0',
          exports: [{ name: '*', rewrite: 'same-object' }],
        },
      ],
    });
    const dir = repository({
      'manifest.json': manifest,
      'src/a.ts': "import { x } from 'old-lib';\nexport const y = x;\n",
    });
    const args = ['migrate', dir, '--all', '--manifest', join(dir, 'manifest.json')];
    const dry = await runCli([...args, '--dry-run']);
    expect(dry.stderr).toContain(
      'note: migrate without --dry-run would stop here: new-lib is not installed',
    );
    const real = await runCli(args);
    expect(real.code).toBe(2);
    expect(real.stderr).toContain('new-lib is not installed');
  });
});

describe('check counts only what must move', () => {
  const defer = useCleanup();

  it('does not count names that stay, nor a declare module augmenting a builtin', async () => {
    const manifest = JSON.stringify({
      package: 'old-lib',
      canonical: 'new-lib',
      entries: [
        {
          code: 'LIB002',
          module: 'utils',
          summary: 'Part of old-lib/utils moved.',
          since: '1.0.0',
          removeIn: '2.0.0',
          exports: [
            { name: 'keep', rewrite: 'stays' },
            { name: 'moved', rewrite: 'same-object', canonical: 'moved', replacement: 'moved' },
          ],
        },
      ],
    });
    const dir = tempProject(defer, {
      'manifest.json': manifest,
      'src/keeps.ts': "import { keep } from 'old-lib/utils';\nexport const k = keep;\n",
      'src/moves.ts':
        "import { keep, moved } from 'old-lib/utils';\nexport const m = [keep, moved];\n",
    });
    const run = await runCli(['check', dir, '--manifest', join(dir, 'manifest.json')]);
    expect(run.stdout).toBe('src/moves.ts:1: LIB002 old-lib/utils\n1 legacy use in 2 files\n');
    const builtin = tempProject(defer, {
      'src/types.d.ts': "declare module 'fs' {\n  export function extra(): void;\n}\n",
    });
    const fs = await runCli(['check', builtin, '--manifest', join(EXAMPLES, 'node-protocol.json')]);
    expect(fs.stdout).toContain('ok: 0 legacy uses');
  });
});
