import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CodeOwners } from '../../src/migration/codeowners';
import { runCli, useCleanup } from '../helpers';

const cli = runCli;

describe('unified-ws audit', () => {
  const defer = useCleanup();

  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-audit-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  const legacy = (module: string, name: string) =>
    `import { ${name} } from 'unified-ws/${module}';\nexport const x = ${name};\n`;

  it('counts uses per code, per repository and per owner, with totals, and flags duplicate implementations', async () => {
    const first = tree({
      '.github/CODEOWNERS': '# owners\n* @platform\n/services/chat/ @chat-team\n*.test.ts @qa\n',
      'services/chat/a.ts': legacy(
        'websocket-core/websocket-manager-factory',
        'createWebSocketManager',
      ),
      'services/chat/b.ts': legacy('websocket-core/websocket-manager', 'getWebSocketManager'),
      'lib/c.ts': legacy('websocket-core/websocket-manager', 'getWebSocketManager'),
      'lib/c.test.ts': legacy('agents/tool-dispatcher', 'ToolDispatcher'),
      'lib/homegrown.ts':
        'export class ChatWebSocketManager {}\nclass AgentEventNotifierRegistry {}\nclass Unrelated {}\n',
    });
    const second = tree({
      'src/d.ts': legacy('websocket-core/unified-manager', 'UnifiedWebSocketManager'),
    });
    const list = join(tree({}), 'repos.txt');
    writeFileSync(list, `${first}\n# a comment\n${second}\n`);
    const result = await cli(['audit', '--list', list, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.totals).toEqual({
      uses: 5,
      byCode: { UWS001: 1, UWS002: 2, UWS004: 1, UWS017: 1 },
    });
    expect(report.repositories[0]).toMatchObject({
      uses: 4,
      groupedBy: 'owner',
      byGroup: { '@chat-team': 2, '@platform': 1, '@qa': 1 },
      duplicates: [
        { file: 'lib/homegrown.ts', line: 1, name: 'ChatWebSocketManager' },
        { file: 'lib/homegrown.ts', line: 2, name: 'AgentEventNotifierRegistry' },
      ],
    });
    expect(report.repositories[1]).toMatchObject({
      uses: 1,
      groupedBy: 'directory',
      byGroup: { src: 1 },
    });
    const text = await cli(['audit', first, second]);
    expect(text.stdout).toContain(
      'possible duplicate implementation: ChatWebSocketManager (lib/homegrown.ts:1)',
    );
    expect(text.stdout).toContain('total: 5 legacy uses in 2 repositories');
  });

  it('reads the files git tracks, as check and migrate do; untracked ones only when asked', async () => {
    const dir = tree({
      'src/a.ts': legacy('websocket-core/websocket-manager', 'getWebSocketManager'),
    });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    writeFileSync(
      join(dir, 'src', 'scratch.ts'),
      legacy('websocket-core/manager', 'websocketManager'),
    );
    const tracked = JSON.parse((await cli(['audit', dir, '--json'])).stdout);
    expect(tracked.totals.uses).toBe(1);
    const all = JSON.parse((await cli(['audit', dir, '--json', '--include-untracked'])).stdout);
    expect(all.totals.uses).toBe(2);
  });

  it.each([
    [['audit', '/no/such/repo'], 'is not a directory'],
    [['audit', '--list', '/no/such/list.txt'], 'no such file'],
  ])('refuses %j with exit 2', async (argv, text) => {
    const result = await cli(argv);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(text)]);
  });

  it('matches CODEOWNERS patterns the way git hosts do: last match wins', () => {
    const dir = tree({
      CODEOWNERS: '*.js @js\n/docs/ @docs\napps/*/server.ts @server\n**/generated/** @bots\n',
    });
    const owners = CodeOwners.load(dir);
    expect(owners?.ownersOf('src/x.js')).toEqual(['@js']);
    expect(owners?.ownersOf('docs/guide/a.md')).toEqual(['@docs']);
    expect(owners?.ownersOf('apps/chat/server.ts')).toEqual(['@server']);
    expect(owners?.ownersOf('a/generated/b/c.ts')).toEqual(['@bots']);
    expect(owners?.ownersOf('src/x.ts')).toEqual([]);
  });
});
