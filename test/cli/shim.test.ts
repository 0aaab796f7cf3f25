import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TelemetryLine } from '../../src/deprecation/index';
import { runCli, useCleanup } from '../helpers';
import { commitAll, installUnifiedWs } from '../support/consumer';

// `unified-ws shim` on a generated TypeScript repository with a hand-rolled SocketHub: real git,
// the real TypeScript compiler and the repository's own tests as --verify, and the compiled shim
// run in a child process against the built unified-ws (node_modules/unified-ws is this checkout).

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VERIFY = `node ${JSON.stringify(TSC)} -p . && node --test build`;

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();

const HUB = `// Copyright (c) Acme Chat. All rights reserved.
// The socket hub: which users are connected, and how to reach them.
import type { IncomingMessage } from 'node:http';
import { EventEmitter } from 'node:events';

/** A frame as it goes over the wire. */
export interface Frame {
  type: string;
  payload: unknown;
}

/** How a hub decides who connects. */
export interface SocketHubOptions {
  authenticate: (request: IncomingMessage, token: string | undefined) => string | null;
  register?: boolean;
}

interface Client {
  userId: string;
  close(code: number): void;
}

const NORMAL_CLOSE = 1000;

/** Formats a frame for the logs: its type, then its payload as JSON. */
export function formatFrame(frame: Frame): string {
  return \`\${frame.type} \${JSON.stringify(frame.payload)}\`;
}

/**
 * Our registry of sockets per user.
 */
export class SocketHub extends EventEmitter {
  private readonly clients = new Map<string, Set<Client>>();

  constructor(readonly options: SocketHubOptions) {
    super();
  }

  isConnected(userId: string): boolean {
    return this.connectionCount(userId) > 0;
  }

  connectionCount(userId: string): number {
    return this.clients.get(userId)?.size ?? 0;
  }

  disconnect(userId: string): number {
    const clients = this.clients.get(userId) ?? new Set<Client>();
    for (const client of clients) client.close(NORMAL_CLOSE);
    this.clients.delete(userId);
    return clients.size;
  }

  async close(): Promise<void> {
    for (const userId of [...this.clients.keys()]) this.disconnect(userId);
  }
}
`;

const SERVER = `import { SocketHub, formatFrame, type Frame, type SocketHubOptions } from './realtime/socket-hub';

export function createHub(options: SocketHubOptions): SocketHub {
  return new SocketHub(options);
}

export function status(hub: SocketHub, userId: string): string {
  return hub.isConnected(userId)
    ? \`\${userId}: \${hub.connectionCount(userId)} connection(s)\`
    : \`\${userId}: offline\`;
}

export function logFrame(frame: Frame): string {
  return \`[frame] \${formatFrame(frame)}\`;
}

export async function shutdown(hub: SocketHub, userId: string): Promise<number> {
  const closed = hub.disconnect(userId);
  await hub.close();
  return closed;
}
`;

const SERVER_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHub, logFrame, shutdown, status } from './server';

test('a hub with nobody connected', async () => {
  const hub = createHub({ authenticate: (_request, token) => token ?? null, register: false });
  assert.equal(status(hub, 'alice'), 'alice: offline');
  assert.equal(await shutdown(hub, 'alice'), 0);
});

test('frames are logged by type and payload', () => {
  assert.equal(logFrame({ type: 'notice', payload: { text: 'hi' } }), '[frame] notice {"text":"hi"}');
});
`;

const MANIFEST = {
  package: '@acme/chat-backend',
  canonical: 'unified-ws',
  entries: [
    {
      code: 'ACME001',
      files: ['src/realtime/socket-hub.ts'],
      summary: 'Our hand-rolled socket hub.',
      why: "A second connection registry next to unified-ws's.",
      since: '0.1.0',
      removeIn: '3.0.0',
      exports: [
        {
          name: 'SocketHub',
          rewrite: 'rename',
          canonical: 'WebSocketManager',
          replacement: "import { WebSocketManager } from 'unified-ws'",
        },
        {
          name: 'SocketHubOptions',
          typeOnly: true,
          rewrite: 'rename',
          canonical: 'WebSocketManagerOptions',
          replacement: "import type { WebSocketManagerOptions } from 'unified-ws'",
        },
        {
          name: 'formatFrame',
          rewrite: 'manual',
          replacement: "your logger's own formatting of frame.type and frame.payload",
        },
        { name: '*', rewrite: 'stays' },
      ],
    },
    {
      code: 'ACME002',
      module: 'realtime/legacy-client',
      summary: 'The old client, a module of the published package.',
      since: '0.1.0',
      removeIn: '3.0.0',
      exports: [{ name: '*', rewrite: 'same-object' }],
    },
  ],
};

/** What `shim` writes for src/realtime/socket-hub.ts (the report quotes it). */
const SHIM = `// Copyright (c) Acme Chat. All rights reserved.
// The socket hub: which users are connected, and how to reach them.

import { deprecatedModule } from 'unified-ws';

deprecatedModule({
  package: '@acme/chat-backend',
  canonical: 'unified-ws',
  manifest: { file: 'consolidation.json' },
  code: 'ACME001',
  files: ['src/realtime/socket-hub.ts'],
  summary: 'Our hand-rolled socket hub.',
  why: "A second connection registry next to unified-ws's.",
  since: '0.1.0',
  removeIn: '3.0.0',
  exports: [
    {
      name: 'SocketHub',
      rewrite: 'rename',
      canonical: 'WebSocketManager',
      replacement: "import { WebSocketManager } from 'unified-ws'",
    },
    {
      name: 'SocketHubOptions',
      rewrite: 'rename',
      canonical: 'WebSocketManagerOptions',
      replacement: "import type { WebSocketManagerOptions } from 'unified-ws'",
      typeOnly: true,
    },
    {
      name: 'formatFrame',
      rewrite: 'manual',
      replacement: "your logger's own formatting of frame.type and frame.payload",
    },
    { name: '*', rewrite: 'stays', replacement: 'unchanged: not deprecated' },
  ],
});

export {
  /** @deprecated ACME001: use import { WebSocketManager } from 'unified-ws'. Run \`unified-ws migrate --manifest consolidation.json\` */
  WebSocketManager as SocketHub,
} from 'unified-ws';
export type {
  /** @deprecated ACME001: use import type { WebSocketManagerOptions } from 'unified-ws'. Run \`unified-ws migrate --manifest consolidation.json\` */
  WebSocketManagerOptions as SocketHubOptions,
} from 'unified-ws';

/** A frame as it goes over the wire. */
export interface Frame {
  type: string;
  payload: unknown;
}

/**
 * Formats a frame for the logs: its type, then its payload as JSON.
 * @deprecated ACME001: use your logger's own formatting of frame.type and frame.payload. See consolidation.json
 */
export function formatFrame(frame: Frame): string {
  return \`\${frame.type} \${JSON.stringify(frame.payload)}\`;
}
`;

const HUB_PATH = 'src/realtime/socket-hub.ts';

describe('unified-ws shim', () => {
  const defer = useCleanup();

  function tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** The team's repository, committed, with unified-ws and the types it needs linked in. */
  function repo(files: Record<string, string> = {}): string {
    const dir = tempDir('uws-shim-');
    const all: Record<string, string> = {
      'package.json': `${JSON.stringify({ name: '@acme/chat-backend', version: '1.4.0', private: true }, null, 2)}\n`,
      'tsconfig.json': `${JSON.stringify(
        {
          compilerOptions: {
            target: 'es2022',
            module: 'node16',
            moduleResolution: 'node16',
            strict: true,
            skipLibCheck: true,
            outDir: 'build',
            rootDir: 'src',
            types: ['node'],
          },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
      '.gitignore': 'node_modules/\nbuild/\n',
      'consolidation.json': `${JSON.stringify(MANIFEST, null, 2)}\n`,
      [HUB_PATH]: HUB,
      'src/server.ts': SERVER,
      'src/server.test.ts': SERVER_TEST,
      ...files,
    };
    for (const [path, text] of Object.entries(all)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    // As an install would: unified-ws (this checkout, built), ws, and Node's types.
    installUnifiedWs(dir, { types: true });
    commitAll(dir, 'the chat backend');
    return dir;
  }

  const read = (dir: string, path = HUB_PATH) => readFileSync(join(dir, path));
  const status = (dir: string) => git(dir, 'status', '--porcelain', '--untracked-files=all');
  const noState = (dir: string) => {
    expect(existsSync(join(dir, '.unified-ws', 'journal.json'))).toBe(false);
    expect(existsSync(join(dir, '.unified-ws', 'backup'))).toBe(false);
  };
  const shim = (dir: string, ...args: string[]) =>
    runCli(['shim', dir, '--manifest', join(dir, 'consolidation.json'), ...args]);

  it('docs/shim.md shows this manifest entry and the exact shim it gives', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'shim.md'), 'utf8');
    expect(docs).toContain(`\`\`\`ts\n${SHIM}\`\`\`\n`);
    const example = /```json\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    expect(JSON.parse(example)).toEqual({ ...MANIFEST, entries: [MANIFEST.entries[0]] });
  });

  it('the repository type-checks and passes its tests before the shim', () => {
    const dir = repo();
    const result = spawnSync(VERIFY, { cwd: dir, shell: true, encoding: 'utf8' });
    expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.any(String)]);
  }, 60_000);

  it('one verified, committed step: identity holds, one warning, telemetry, the manual export works; a second run changes nothing; revert --last restores every byte', async () => {
    const dir = repo();
    const original = read(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    const result = await shim(dir, '--all', '--verify', VERIFY);
    expect([result.code, result.stderr]).toEqual([0, `verifying shim:ACME001: ${VERIFY}…\n`]);
    expect(result.stdout).toMatch(/^shim:ACME001: committed, 1 file changed \([0-9a-f]{10}\)\n$/);
    expect(read(dir).toString()).toBe(SHIM);
    expect(git(dir, 'log', '--format=%an <%ae>%n%B', `${head}..HEAD`)).toBe(
      [
        'Tess Ter <tess@example.com>',
        'unified-ws: shim ACME001 (1 file)',
        '',
        '- src/realtime/socket-hub.ts: SocketHubOptions, SocketHub from unified-ws; kept: Frame, formatFrame',
        '',
        'Unified-Ws-Step: shim:ACME001',
      ].join('\n'),
    );
    expect(status(dir)).toBe('');
    noState(dir);

    // The compiled shim (build/ is what --verify compiled), required next to unified-ws itself.
    writeFileSync(
      join(dir, 'build', 'probe.js'),
      [
        'const warnings = [];',
        "process.on('warning', (w) => warnings.push(`${w.name} ${w.code}`));",
        "const hub = require('./realtime/socket-hub');",
        "const server = require('./server');",
        "const unified = require('unified-ws');",
        'setImmediate(() =>',
        '  process.stdout.write(',
        '    JSON.stringify({',
        '      identity: hub.SocketHub === unified.WebSocketManager,',
        "      manual: hub.formatFrame({ type: 'notice', payload: [1] }),",
        "      consumer: server.logFrame({ type: 'notice', payload: [1] }),",
        '      instance: server.createHub({ authenticate: () => null, register: false }) instanceof unified.WebSocketManager,',
        '      warnings,',
        '    }),',
        '  ),',
        ');',
        '',
      ].join('\n'),
    );
    const telemetry = join(tempDir('uws-shim-telemetry-'), 'telemetry.jsonl');
    const probe = spawnSync(process.execPath, [join('build', 'probe.js')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, UNIFIED_WS_TELEMETRY_FILE: telemetry, UNIFIED_WS_DEPRECATIONS: '' },
    });
    expect([probe.status, probe.stderr]).toEqual([0, expect.stringContaining('[ACME001]')]);
    expect(JSON.parse(probe.stdout)).toEqual({
      identity: true,
      manual: 'notice [1]',
      consumer: '[frame] notice [1]',
      instance: true,
      warnings: ['DeprecationWarning ACME001'],
    });
    // The team's own texts: its manifest's migrate command; "*" stays, so it is not listed.
    expect(probe.stderr).toContain(
      "src/realtime/socket-hub.ts is deprecated: SocketHub → import { WebSocketManager } from 'unified-ws'; SocketHubOptions → import type { WebSocketManagerOptions } from 'unified-ws'; formatFrame → your logger's own formatting of frame.type and frame.payload. Run `unified-ws migrate --manifest consolidation.json`.\n",
    );
    expect(probe.stderr).not.toMatch(/unchanged|legacy-to-canonical|deprecations\.md/);
    const lines = readFileSync(telemetry, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TelemetryLine | { kind: string })
      .filter((line): line is TelemetryLine => !('kind' in line)); // not the observation lines
    expect(
      lines.map(({ code, entryPoint, site, count }) => ({ code, entryPoint, site, count })),
    ).toEqual([
      {
        code: 'ACME001',
        entryPoint: 'src/realtime/socket-hub.ts',
        site: 'build/probe.js:3:13',
        count: 1,
      },
    ]);
    rmSync(join(dir, 'build', 'probe.js'));

    // Again: the file is the shim already.
    const shimmed = git(dir, 'rev-parse', 'HEAD');
    const again = await shim(dir, '--all');
    expect([again.code, again.stdout, again.stderr]).toEqual([
      0,
      'shim:ACME001: unchanged, 0 files changed\n',
      '',
    ]);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(shimmed);

    const reverted = await runCli(['revert', '--last', dir]);
    expect([reverted.code, reverted.stdout]).toEqual([
      0,
      expect.stringMatching(/^reverted step shim:ACME001 \([0-9a-f]{10}\)\n$/),
    ]);
    expect(read(dir)).toEqual(original);
    expect(status(dir)).toBe('');
  }, 90_000);

  it('a failed --verify rolls the step back byte for byte and leaves git status clean', async () => {
    const dir = repo();
    const original = read(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    const result = await shim(dir, '--step', 'ACME001', '--verify', 'false');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('shim:ACME001: rolled back: 1 file restored\n');
    expect(result.stderr).toContain('verify failed for shim:ACME001 (false: exit code 1)');
    expect(result.stderr).toContain('step shim:ACME001 rolled back: 1 file restored\n');
    expect(read(dir)).toEqual(original);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(status(dir)).toBe('');
    noState(dir);
  });

  it('--dry-run prints the diff and writes nothing; --json says what moves and what stays', async () => {
    const dir = repo();
    const original = read(dir);
    const result = await shim(dir, '--all', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--- a/${HUB_PATH}\n+++ b/${HUB_PATH}\n`);
    expect(result.stdout).toContain("+} from 'unified-ws';\n");
    expect(result.stdout).toContain('-export class SocketHub extends EventEmitter {\n');
    expect(result.stdout.endsWith('shim:ACME001: dry-run, 1 file changed\n')).toBe(true);
    const json = await shim(dir, '--step', 'ACME001', '--dry-run', '--json');
    expect(json.code).toBe(0);
    const [step] = (JSON.parse(json.stdout) as { steps: Record<string, unknown>[] }).steps;
    expect(step).toMatchObject({
      id: 'shim:ACME001',
      status: 'dry-run',
      changed: 1,
      files: [
        {
          path: HUB_PATH,
          status: 'shimmed',
          moved: [
            { name: 'SocketHubOptions', canonical: 'WebSocketManagerOptions', typeOnly: true },
            { name: 'SocketHub', canonical: 'WebSocketManager', typeOnly: false },
          ],
          kept: [
            { name: 'Frame', rewrite: 'stays' },
            { name: 'formatFrame', rewrite: 'manual' },
          ],
          notes: [],
        },
      ],
    });
    expect(step?.diff).toContain(`+++ b/${HUB_PATH}`);
    expect(read(dir)).toEqual(original);
    expect(status(dir)).toBe('');
    expect(existsSync(join(dir, '.unified-ws'))).toBe(false);
  });

  it('--no-commit applies without committing, and says how to undo it (revert needs a commit)', async () => {
    const dir = repo();
    const original = read(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    const result = await shim(dir, '--all', '--no-commit');
    expect([result.code, result.stdout]).toEqual([0, 'shim:ACME001: applied, 1 file changed\n']);
    expect(result.stderr).toBe(
      `note: --no-commit: the shim is not committed, so revert cannot undo it; to undo: git restore -- ${HUB_PATH} (git checkout -- ${HUB_PATH} before git 2.23)\n`,
    );
    expect(read(dir).toString()).toBe(SHIM);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(status(dir)).toBe(`M ${HUB_PATH}`); // " M", trimmed
    noState(dir);
    // As the note says: revert refuses a dirty tree; the command given restores every byte.
    const reverted = await runCli(['revert', '--last', dir]);
    expect(reverted.code).not.toBe(0);
    const undo = /to undo: (git restore -- \S+)/.exec(result.stderr)?.[1] ?? '';
    expect(spawnSync(undo, { cwd: dir, shell: true }).status).toBe(0);
    expect(read(dir)).toEqual(original);
    expect(status(dir)).toBe('');
  });

  it('refuses, with exit 2 and nothing written: no manifest, an entry without files, an unknown code, a file it cannot shim, a dirty tree', async () => {
    const dir = repo({
      'src/realtime/pair.ts': 'export const SocketHub = 1, formatFrame = 2;\n',
    });
    const manifest = {
      ...MANIFEST,
      entries: [
        { ...MANIFEST.entries[0], files: [HUB_PATH, 'src/realtime/pair.ts'] },
        MANIFEST.entries[1],
      ],
    };
    writeFileSync(join(dir, 'split.json'), JSON.stringify(manifest));
    git(dir, 'add', 'split.json');
    git(dir, 'commit', '-qm', 'a manifest that names a file shim cannot split');
    const before = read(dir);
    const cases: [string[], string][] = [
      [['shim', dir, '--all'], 'name the manifest of your consolidation: --manifest file'],
      [
        ['shim', dir, '--manifest', join(dir, 'consolidation.json'), '--step', 'ACME002'],
        'ACME002 has no "files" in',
      ],
      [
        ['shim', dir, '--manifest', join(dir, 'consolidation.json'), '--step', 'ACME009'],
        'unknown code "ACME009": entries of',
      ],
      [
        ['shim', dir, '--manifest', join(dir, 'split.json'), '--all'],
        'src/realtime/pair.ts:1: SocketHub moves to unified-ws but formatFrame stays: declare them apart first; nothing was written',
      ],
      [['shim', dir, '--manifest', join(dir, 'consolidation.json')], 'say which entries'],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(argv);
      expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
    }
    writeFileSync(join(dir, 'src/server.ts'), `${SERVER}// edited\n`);
    const dirty = await shim(dir, '--all');
    expect([dirty.code, dirty.stderr]).toEqual([
      2,
      expect.stringContaining('uncommitted changes (src/server.ts)'),
    ]);
    expect(read(dir)).toEqual(before);
    expect(existsSync(join(dir, '.unified-ws'))).toBe(false);
  });

  it('is not stopped by an untracked file it would not touch', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'notes.txt'), 'scratch\n');
    const result = await shim(dir, '--all', '--no-commit');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('scratch\n');
  });

  it('is stopped by an untracked legacy file it would write', async () => {
    const dir = repo();
    git(dir, 'rm', '-q', '--cached', HUB_PATH);
    git(dir, 'commit', '-qm', 'the hub, untracked');
    const result = await shim(dir, '--all');
    expect([result.code, result.stderr]).toEqual([
      2,
      expect.stringContaining(`uncommitted changes (${HUB_PATH})`),
    ]);
  });
});
