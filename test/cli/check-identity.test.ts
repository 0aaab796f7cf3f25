import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject, useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');

/** A manifest moving `files` entries onto `canonical`; each entry is [code, file, exports]. */
function manifest(entries: [string, string, object[]][], canonical = 'unified-ws'): string {
  return JSON.stringify({
    package: '@acme/chat',
    canonical,
    entries: entries.map(([code, file, exports]) => ({
      code,
      files: [file],
      summary: `${file}, now ${canonical}.`,
      since: '1.0.0',
      removeIn: '2.0.0',
      exports,
    })),
  });
}

const rename = (name: string, canonical: string) => ({
  name,
  rewrite: 'rename',
  canonical,
  replacement: `import { ${canonical} } from 'unified-ws'`,
});
const same = (name: string) => ({
  name,
  rewrite: 'same-object',
  canonical: name,
  replacement: `import { ${name} } from 'unified-ws'`,
});
const everyName = { name: '*', rewrite: 'same-object' };

/**
 * A stand-in for the installed canonical package: its type declarations are what `export *`
 * from it is read from.
 */
const FAKE_PACKAGE = {
  'node_modules/unified-ws/package.json': JSON.stringify({
    name: 'unified-ws',
    version: '1.0.0',
    types: 'index.d.ts',
  }),
  'node_modules/unified-ws/index.d.ts': [
    'export declare class WebSocketManager {}',
    'export declare function getWebSocketManager(): WebSocketManager;',
    'export interface UserContext { userId: string }',
    '',
  ].join('\n'),
};

describe('check --identity', () => {
  const defer = useCleanup();

  async function check(dir: string, ...extra: string[]) {
    return runCli(['check', dir, '--identity', '--manifest', join(dir, 'manifest.json'), ...extra]);
  }

  it('proves a legacy file that re-exports the canonical object directly', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([
        ['ACME001', 'src/realtime/socket-hub.ts', [rename('SocketHub', 'WebSocketManager')]],
      ]),
      'src/realtime/socket-hub.ts': "export { WebSocketManager as SocketHub } from 'unified-ws';\n",
    });
    const run = await check(dir);
    expect(run).toEqual({
      code: 0,
      stdout:
        'ACME001 identical: SocketHub (src/realtime/socket-hub.ts:1) is WebSocketManager from unified-ws\n' +
        'ok: 1 legacy export is the same object as its canonical counterpart\n',
      stderr: '',
    });
  });

  it('follows an intermediate barrel file reached through a tsconfig alias, and an index file', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([
        [
          'ACME002',
          'src/realtime/hub.ts',
          [rename('Hub', 'WebSocketManager'), rename('getHub', 'getWebSocketManager')],
        ],
      ]),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { baseUrl: '.', paths: { '@core/*': ['src/core/*'] } },
      }),
      'src/core/index.ts':
        "export { WebSocketManager as Manager } from 'unified-ws';\nexport * from './get';\n",
      'src/core/get.ts':
        "import { getWebSocketManager } from 'unified-ws';\nexport const getManager = getWebSocketManager;\n",
      'src/realtime/hub.ts': [
        "import { Manager } from '@core/index';",
        "import * as core from '../core';",
        'export { Manager as Hub };',
        'export const getHub = core.getManager;',
        '',
      ].join('\n'),
    });
    const run = await check(dir);
    expect(run.stdout).toBe(
      'ACME002 identical: Hub (src/realtime/hub.ts:3) is WebSocketManager from unified-ws, through src/core/index.ts\n' +
        'ACME002 identical: getHub (src/realtime/hub.ts:4) is getWebSocketManager from unified-ws, through src/core/index.ts → src/core/get.ts\n' +
        'ok: 2 legacy exports are the same object as their canonical counterparts\n',
    );
    expect(run.code).toBe(0);
  });

  it('says what a legacy export is instead: its own class, a class of another file, a missing name', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([
        [
          'ACME003',
          'src/realtime/socket-hub.ts',
          [
            rename('SocketHub', 'WebSocketManager'),
            rename('OldHub', 'WebSocketManager'),
            rename('default', 'WebSocketManager'),
            same('getWebSocketManager'),
            same('isConnected'),
          ],
        ],
      ]),
      'src/realtime/old-hub.ts': 'export class OldHub {}\n',
      'src/realtime/socket-hub.ts': [
        "import { getWebSocketManager as get } from 'unified-ws';",
        '',
        'export class SocketHub {',
        '  send(): void {}',
        '}',
        "export { OldHub } from './old-hub';",
        'export default SocketHub;',
        'export const getWebSocketManager = () => get();',
        '',
      ].join('\n'),
    });
    const run = await check(dir);
    expect(run.stdout).toBe(
      'ACME003 NOT identical: SocketHub (src/realtime/socket-hub.ts:3) is its own class, not WebSocketManager from unified-ws\n' +
        'ACME003 NOT identical: OldHub (src/realtime/socket-hub.ts:6) re-exports OldHub from src/realtime/old-hub.ts:1, which is its own class, not WebSocketManager from unified-ws\n' +
        'ACME003 NOT identical: default (src/realtime/socket-hub.ts:7) is SocketHub, its own class (line 3), not WebSocketManager from unified-ws\n' +
        'ACME003 NOT identical: getWebSocketManager (src/realtime/socket-hub.ts:8) is its own const, not getWebSocketManager from unified-ws\n' +
        'ACME003 NOT identical: isConnected is not exported by src/realtime/socket-hub.ts\n' +
        '5 of 5 legacy exports are not the same object as their canonical counterparts\n',
    );
    expect(run.code).toBe(1);
  });

  it("proves a rename written as import { X } from 'unified-ws'; export const Y = X", async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([['ACME004', 'src/hub.ts', [rename('Hub', 'WebSocketManager')]]]),
      'src/hub.ts':
        "import { WebSocketManager } from 'unified-ws';\n\nexport const Hub = WebSocketManager as typeof WebSocketManager;\n",
    });
    const run = await check(dir);
    expect(run.stdout).toContain(
      'ACME004 identical: Hub (src/hub.ts:3) is WebSocketManager from unified-ws\n',
    );
    expect(run.code).toBe(0);
  });

  it('reads the real export list for "*", through export * from the canonical package', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([
        ['ACME005', 'src/socket.ts', [rename('Socket', 'WebSocketManager'), everyName]],
      ]),
      'src/socket.ts': [
        "export * from 'unified-ws';",
        "export { WebSocketManager as Socket } from 'unified-ws';",
        'export function helper(): void {}',
        '',
      ].join('\n'),
    });
    const run = await check(dir, '--json');
    const json = JSON.parse(run.stdout) as {
      total: number;
      notIdentical: number;
      exports: { export: string; identical: boolean; typeOnly: boolean; reason: string }[];
    };
    expect(json.exports.map((e) => [e.export, e.identical, e.typeOnly])).toEqual([
      ['Socket', true, false],
      ['helper', false, false],
      ['WebSocketManager', true, false],
      ['getWebSocketManager', true, false],
      ['UserContext', true, true],
    ]);
    expect(json.exports[1]?.reason).toBe(
      'helper (src/socket.ts:3) is its own function, not helper from unified-ws, which cannot be found: unified-ws does not export helper',
    );
    expect([json.total, json.notIdentical, run.code]).toEqual([5, 1, 1]);
  });

  it('does not prove "*" past an export * it cannot read', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([['ACME015', 'src/socket.ts', [everyName]]]),
      'src/socket.ts':
        "export * from 'not-installed';\nexport { getWebSocketManager } from 'unified-ws';\n",
    });
    const run = await check(dir);
    expect(run.stdout).toBe(
      'ACME015 NOT identical: the export list of src/socket.ts cannot be read whole (export * from not-installed: no type declarations found): "*" is not proven for the names it leaves out\n' +
        'ACME015 identical: getWebSocketManager (src/socket.ts:2) is getWebSocketManager from unified-ws\n' +
        '1 of 2 legacy exports is not the same object as its canonical counterpart\n',
    );
    expect(run.code).toBe(1);
  });

  it('--json lists each export with code, file, export, canonical, identical and reason', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'manifest.json': manifest([
        ['ACME006', 'src/hub.ts', [rename('Hub', 'WebSocketManager'), same('Missing')]],
      ]),
      'src/hub.ts': "export { WebSocketManager as Hub } from 'unified-ws';\n",
    });
    const run = await check(dir, '--json');
    expect(JSON.parse(run.stdout)).toEqual({
      total: 2,
      notIdentical: 1,
      exports: [
        {
          code: 'ACME006',
          file: 'src/hub.ts',
          export: 'Hub',
          canonical: { specifier: 'unified-ws', name: 'WebSocketManager' },
          identical: true,
          reason: 'Hub (src/hub.ts:1) is WebSocketManager from unified-ws',
          line: 1,
          typeOnly: false,
        },
        {
          code: 'ACME006',
          file: 'src/hub.ts',
          export: 'Missing',
          canonical: { specifier: 'unified-ws', name: 'Missing' },
          identical: false,
          reason: 'Missing is not exported by src/hub.ts',
          line: null,
          typeOnly: false,
        },
      ],
    });
    expect(run.code).toBe(1);
  });

  it('proves a repository file target, and stops on an import cycle', async () => {
    const dir = tempProject(defer, {
      'manifest.json': manifest(
        [
          ['ACME007', 'src/legacy/socket.ts', [rename('OldSocket', 'Socket')]],
          ['ACME008', 'src/legacy/loop.ts', [rename('Loop', 'Socket')]],
        ],
        './src/core/socket.ts',
      ),
      'src/core/socket.ts': 'export default class Socket {}\nexport { Socket };\n',
      'src/legacy/socket.ts':
        "import Socket from '../core/socket.js';\nexport default Socket;\nexport { Socket as OldSocket };\n",
      'src/legacy/loop.ts': "export { Loop } from './loop-back';\n",
      'src/legacy/loop-back.ts': "export { Loop } from './loop';\n",
    });
    const run = await check(dir);
    expect(run.stdout).toBe(
      'ACME007 identical: OldSocket (src/legacy/socket.ts:3) is Socket from ./src/core/socket.ts\n' +
        'ACME008 NOT identical: Loop (src/legacy/loop.ts:1) does not reach Socket from ./src/core/socket.ts: an import cycle: src/legacy/loop.ts (Loop) → src/legacy/loop-back.ts (Loop) → src/legacy/loop.ts (Loop)\n' +
        '1 of 2 legacy exports is not the same object as its canonical counterpart\n',
    );
  });

  it('is a usage error without --manifest, with a manifest without "files", and --write-test without --identity', async () => {
    const dir = tempProject(defer, {
      'manifest.json': JSON.stringify({
        package: '@acme/chat',
        canonical: 'unified-ws',
        entries: [
          {
            code: 'ACME009',
            module: 'socket',
            summary: 'A package subpath, no repository file.',
            since: '1.0.0',
            removeIn: '2.0.0',
            exports: [everyName],
          },
        ],
      }),
    });
    const builtin = await runCli(['check', dir, '--identity']);
    expect(builtin.code).toBe(2);
    expect(builtin.stderr).toContain(
      'check --identity needs --manifest file: it proves the repository files that entries name in "files", and the built-in manifest names none',
    );
    const noFiles = await check(dir);
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toContain('has no entry with "files"');
    const baseline = await check(dir, '--baseline', 'b.json');
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('--identity takes no --baseline');
    const writeTest = await runCli(['check', dir, '--write-test', 'x.test.ts']);
    expect(writeTest.code).toBe(2);
    expect(writeTest.stderr).toContain('--write-test needs --identity');
  });
});

describe('check --identity --write-test', () => {
  const defer = useCleanup();

  it('writes a jest test (globals) when jest is in devDependencies, with paths relative to it', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'package.json': JSON.stringify({ name: 'app', devDependencies: { jest: '^29.0.0' } }),
      'manifest.json': manifest([
        [
          'ACME010',
          'src/realtime/socket-hub.ts',
          [
            rename('SocketHub', 'WebSocketManager'),
            same('getWebSocketManager'),
            { ...same('UserContext'), typeOnly: true },
          ],
        ],
      ]),
      'src/realtime/socket-hub.ts': [
        "export { WebSocketManager as SocketHub, getWebSocketManager } from 'unified-ws';",
        "export type { UserContext } from 'unified-ws';",
        '',
      ].join('\n'),
    });
    const run = await runCli([
      'check',
      dir,
      '--identity',
      '--manifest',
      join(dir, 'manifest.json'),
      '--write-test',
      join(dir, 'test/identity/legacy.test.ts'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote test/identity/legacy.test.ts: 2 assertions (jest)\n');
    expect(readFileSync(join(dir, 'test/identity/legacy.test.ts'), 'utf8')).toBe(
      [
        '// Generated by unified-ws: do not edit. Regenerate it from the repository root with',
        '//   npx unified-ws check --identity --manifest manifest.json --write-test test/identity/legacy.test.ts',
        '// Each test asserts that a legacy export is the same object as its canonical counterpart.',
        '// Types, proven by check --identity only (they do not exist at run time): ACME010 UserContext.',
        '',
        "import { WebSocketManager, getWebSocketManager } from 'unified-ws';",
        'import {',
        '  SocketHub,',
        '  getWebSocketManager as ACME010_getWebSocketManager,',
        "} from '../../src/realtime/socket-hub';",
        '',
        "test('ACME010 SocketHub (src/realtime/socket-hub.ts) is WebSocketManager from unified-ws', () => {",
        '  expect(SocketHub).toBe(WebSocketManager);',
        '});',
        '',
        "test('ACME010 getWebSocketManager (src/realtime/socket-hub.ts) is getWebSocketManager from unified-ws', () => {",
        '  expect(ACME010_getWebSocketManager).toBe(getWebSocketManager);',
        '});',
        '',
      ].join('\n'),
    );
  });

  it('imports test and expect from vitest when the repository has vitest', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'package.json': JSON.stringify({ name: 'app', devDependencies: { vitest: '^3.0.0' } }),
      'manifest.json': manifest([['ACME011', 'src/hub.ts', [rename('Hub', 'WebSocketManager')]]]),
      'src/hub.ts': "export { WebSocketManager as Hub } from 'unified-ws';\n",
    });
    const file = join(dir, 'hub.identity.test.ts');
    await runCli([
      'check',
      dir,
      '--identity',
      '--manifest',
      join(dir, 'manifest.json'),
      '--write-test',
      file,
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("import { test, expect } from 'vitest';\n");
    expect(text).toContain("import { Hub } from './src/hub';\n");
    expect(text).toContain('  expect(Hub).toBe(WebSocketManager);\n');
  });

  it('writes a node:test file that node --test passes when the exports are identical and fails when not', async () => {
    // A small JavaScript repository (ESM) with unified-ws installed: this package itself.
    const dir = tempProject(defer, {
      'package.json': JSON.stringify({ name: 'chat-app', type: 'module' }),
      'manifest.json': manifest([
        ['ACME012', 'src/realtime/socket-hub.js', [rename('SocketHub', 'WebSocketManager')]],
        ['ACME013', 'src/realtime/registry.js', [everyName]],
      ]),
      'src/realtime/socket-hub.js':
        "import { WebSocketManager } from 'unified-ws';\n\nexport const SocketHub = WebSocketManager;\n",
      'src/realtime/registry.js':
        "export { getWebSocketManager, UserChannel } from 'unified-ws';\n",
    });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'unified-ws'), 'dir');
    const args = ['check', dir, '--identity', '--manifest', join(dir, 'manifest.json')];
    const testFile = join(dir, 'test', 'identity.test.js');

    const run = await runCli([...args, '--write-test', testFile]);
    expect(run.stdout).toContain('wrote test/identity.test.js: 3 assertions (node:test)\n');
    expect(run.code).toBe(0);
    const text = readFileSync(testFile, 'utf8');
    expect(text).toContain(
      "import { test } from 'node:test';\nimport * as assert from 'node:assert';\n",
    );
    expect(text).toContain("import { SocketHub } from '../src/realtime/socket-hub.js';\n");
    expect(text).toContain('  assert.strictEqual(SocketHub, WebSocketManager);\n');
    const nodeTest = () =>
      spawnSync(process.execPath, ['--test', testFile], { cwd: dir, encoding: 'utf8' });
    const passing = nodeTest();
    expect(passing.stdout).toMatch(/^# pass 3$/m);
    expect(passing.status).toBe(0);

    // The team's own class comes back: the static proof and the written test both fail.
    writeFileSync(join(dir, 'src/realtime/socket-hub.js'), 'export class SocketHub {}\n');
    const again = await runCli(args);
    expect(again.stdout).toContain(
      'ACME012 NOT identical: SocketHub (src/realtime/socket-hub.js:1) is its own class, not WebSocketManager from unified-ws\n',
    );
    expect(again.code).toBe(1);
    const failing = nodeTest();
    expect(failing.stdout).toMatch(/^not ok \d+ - ACME012 SocketHub/m);
    expect(failing.stdout).toMatch(/^# fail 1$/m);
    expect(failing.status).toBe(1);
  });

  it('writes require() for a CommonJS JavaScript repository', async () => {
    const dir = tempProject(defer, {
      ...FAKE_PACKAGE,
      'package.json': JSON.stringify({ name: 'app' }),
      'manifest.json': manifest([['ACME014', 'lib/hub.js', [rename('Hub', 'WebSocketManager')]]]),
      'lib/hub.js': "export { WebSocketManager as Hub } from 'unified-ws';\n",
    });
    const file = join(dir, 'test', 'identity.test.js');
    await runCli([
      'check',
      dir,
      '--identity',
      '--manifest',
      join(dir, 'manifest.json'),
      '--write-test',
      file,
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(
      "const { test } = require('node:test');\nconst assert = require('node:assert');\n",
    );
    expect(text).toContain("const { WebSocketManager } = require('unified-ws');\n");
    expect(text).toContain("const { Hub } = require('../lib/hub.js');\n");
  });
});

describe('docs/manifest.md, "Proving one implementation: check --identity"', () => {
  const defer = useCleanup();

  it('shows the output and the test file that its example really gives', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'manifest.md'), 'utf8');
    const section = doc.slice(
      doc.indexOf('## Proving one implementation: check --identity'),
      doc.indexOf('## Validation'),
    );
    const block = (lang: string) =>
      new RegExp(`^\`\`\`${lang}\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(section)?.[1] as string;
    const [command, ...output] = block('text').split('\n');
    expect(command).toBe(
      '$ npx unified-ws check --identity --manifest consolidation.json --write-test test/identity.test.ts',
    );
    const dir = tempProject(defer, {
      'package.json': JSON.stringify({
        name: '@acme/chat-backend',
        devDependencies: { jest: '^29.7.0' },
      }),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/*'] } },
      }),
      'consolidation.json': block('json'),
      'src/core/index.ts': [
        "import { WebSocketManager, getWebSocketManager } from 'unified-ws';",
        '',
        'export const Manager = WebSocketManager;',
        'export { getWebSocketManager as getManager };',
        '',
      ].join('\n'),
      'src/realtime/socket-hub.ts': [
        "// The hub is unified-ws's manager now: the old names stay for a release.",
        "export { Manager as SocketHub, getManager as getWebSocketManager } from '@app/core';",
        '',
      ].join('\n'),
      'src/realtime/presence.ts': [
        "import { WebSocketServer } from 'ws';",
        '',
        'export class PresenceManager {',
        '  private readonly server = new WebSocketServer({ noServer: true });',
        '}',
        '',
      ].join('\n'),
    });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'unified-ws'), 'dir');
    const cwd = process.cwd();
    process.chdir(dir);
    defer(() => process.chdir(cwd));
    const run = await runCli((command as string).split(' ').slice(3));
    expect(run.stdout).toBe(output.join('\n'));
    expect(run.code).toBe(1);
    expect(readFileSync(join(dir, 'test/identity.test.ts'), 'utf8')).toBe(block('ts'));
  });
});
