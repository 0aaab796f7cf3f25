import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../src/manifest/from-json';
import { runCli, tempProject, useCleanup } from '../helpers';

// Duplicate implementations found by structure, as a team's repositories hold them: the same
// concept under different names, in different directories, imported through relative paths and
// tsconfig aliases, next to classes that only share a name pattern or a few common methods.

/** A notifier of the five agent events, under a name and with a style of its own. */
const notifier = (name: string, extra = '') => `import type { Ctx } from '../types';

/** Sends agent progress to the browser. */
export class ${name} {
  private readonly sent: string[] = [];
  constructor(private readonly transport: { push(user: string, frame: string): void }) {}
  notifyAgentStarted(ctx: Ctx, agent: string): void { this.emit(ctx, 'agent_started', agent); }
  notifyAgentThinking(ctx: Ctx, thought: string): void { this.emit(ctx, 'agent_thinking', thought); }
  notifyToolExecuting(ctx: Ctx, tool: string, input?: unknown): void { this.emit(ctx, 'tool_executing', tool); }
  notifyToolCompleted(ctx: Ctx, tool: string, output: unknown): void { this.emit(ctx, 'tool_completed', tool); }
  notifyAgentCompleted(ctx: Ctx, result: unknown): void { this.emit(ctx, 'agent_completed', String(result)); }
  private emit(ctx: Ctx, type: string, text: string): void {
    this.sent.push(type);
    this.transport.push(ctx.userId, JSON.stringify({ type, text }));
  }${extra}
}
`;

/** A hand-rolled per-user socket registry: the concept unified-ws's WebSocketManager is. */
const socketManager = `export class ConnectionHub {
  private readonly sockets = new Map<string, Set<{ close(): void }>>();
  isConnected(userId: string): boolean { return (this.sockets.get(userId)?.size ?? 0) > 0; }
  connectionCount(userId: string): number { return this.sockets.get(userId)?.size ?? 0; }
  disconnect(userId: string): void { for (const s of this.sockets.get(userId) ?? []) s.close(); }
  async close(): Promise<void> { this.sockets.clear(); }
  stats(): { users: number } { return { users: this.sockets.size }; }
}

export function formatFrame(type: string, payload: unknown): string {
  return JSON.stringify({ type, payload });
}
`;

function repository(defer: Parameters<typeof tempProject>[0]): string {
  return tempProject(defer, {
    'package.json': JSON.stringify({ name: '@acme/chat-backend', version: '2.3.1' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { baseUrl: '.', paths: { '@chat/*': ['src/chat/*'] } },
    }),
    'src/types.ts': 'export interface Ctx { userId: string }\n',
    'src/chat/progress-notifier.ts': notifier('ProgressNotifier'),
    'src/agents/events.ts': notifier(
      'AgentEventEmitter',
      '\n  flush(): void { this.sent.length = 0; }',
    ),
    'src/realtime/hub.ts': socketManager,
    'src/chat/a.ts':
      "import { ProgressNotifier } from '@chat/progress-notifier';\nexport const a = ProgressNotifier;\n",
    'src/chat/b.ts':
      "import { ProgressNotifier as PN } from './progress-notifier';\nexport const b = PN;\n",
    'src/agents/c.ts':
      "import * as events from './events';\nimport { ConnectionHub } from '../realtime/hub';\nexport const c = [events, ConnectionHub];\n",
    'src/server.ts':
      "import { ConnectionHub, formatFrame } from './realtime/hub';\nexport const s = [ConnectionHub, formatFrame];\n",
    // Shares a name pattern and two common methods, not the concept.
    'src/metrics/registry.ts':
      'export class MetricsRegistry {\n  close(): void {}\n  stats(): object { return {}; }\n  record(name: string, value: number): void {}\n}\n',
    // A test double of the notifier: not a duplicate to consolidate.
    'src/chat/progress-notifier.test.ts': notifier('FakeNotifier'),
  });
}

describe('audit: duplicate implementations by structure', () => {
  const defer = useCleanup();

  it('groups implementations of one concept under different names, with importers and the canonical choice', async () => {
    const root = repository(defer);
    const result = await runCli(['audit', root, '--json']);
    expect(result.code).toBe(0);
    const { groups } = JSON.parse(result.stdout) as {
      groups: {
        canonical: { module: string; name: string };
        shared: string[];
        members: { file: string; name: string; line: number; importers: number; lines: number }[];
      }[];
    };
    expect(groups).toHaveLength(2);
    const [notifiers, hubs] = groups;
    // The most imported notifier (through a relative path and a tsconfig alias) is the canonical one.
    expect(notifiers?.canonical).toMatchObject({
      module: 'src/chat/progress-notifier.ts',
      name: 'ProgressNotifier',
    });
    expect(notifiers?.members.map((m) => [m.name, m.file, m.importers])).toEqual([
      ['ProgressNotifier', 'src/chat/progress-notifier.ts', 2],
      ['AgentEventEmitter', 'src/agents/events.ts', 1],
    ]);
    expect(notifiers?.shared).toEqual([
      'notifyAgentCompleted',
      'notifyAgentStarted',
      'notifyAgentThinking',
      'notifyToolCompleted',
      'notifyToolExecuting',
    ]);
    expect(notifiers?.members[0]).toMatchObject({ line: 4, lines: 13 });
    // A hand-rolled socket registry is unified-ws's WebSocketManager by its surface.
    expect(hubs?.canonical).toMatchObject({ module: 'unified-ws', name: 'WebSocketManager' });
    expect(hubs?.members.map((m) => [m.name, m.importers])).toEqual([['ConnectionHub', 2]]);
    const all = groups.flatMap((g) => g.members.map((m) => m.name));
    expect(all).not.toContain('MetricsRegistry');
    expect(all).not.toContain('FakeNotifier');

    const text = await runCli(['audit', root]);
    expect(text.stdout).toContain('duplicate implementations: 2 groups');
    expect(text.stdout).toMatch(
      /ConnectionHub +src\/realtime\/hub\.ts:1 +8 lines +imported by 2 files/,
    );
  });

  it('finds a test double only when asked', async () => {
    const root = repository(defer);
    const { groups } = JSON.parse(
      (await runCli(['audit', root, '--json', '--include-tests'])).stdout,
    ) as {
      groups: { members: { name: string }[] }[];
    };
    expect(groups.flatMap((g) => g.members.map((m) => m.name))).toContain('FakeNotifier');
  });

  it('drafts a manifest that parses: an entry per group, files, and each export classified', async () => {
    const root = repository(defer);
    const out = join(root, 'unified-ws.manifest.json');
    const result = await runCli(['audit', root, '--draft-manifest', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('manifest draft with 2 entries written to');
    const draft = JSON.parse(readFileSync(out, 'utf8'));
    const manifest = parseManifest(draft);
    expect(draft.$schema).toBe('./node_modules/unified-ws/src/manifest/manifest.schema.json');
    expect(manifest.package).toBe('@acme/chat-backend');
    const [first, second] = manifest.entries;
    expect(first).toMatchObject({
      code: 'ACME001',
      files: ['src/agents/events.ts'],
      canonical: './src/chat/progress-notifier.ts',
      since: '2.3.1',
      removeIn: '3.0.0',
    });
    // AgentEventEmitter has a member ProgressNotifier lacks: manual, and the why names it.
    expect(first?.exports.find((e) => e.name === 'AgentEventEmitter')?.rewrite).toBe('manual');
    expect(first?.why).toContain(
      'AgentEventEmitter differs from ProgressNotifier: flush/0 (absent)',
    );
    expect(second).toMatchObject({ code: 'ACME002', files: ['src/realtime/hub.ts'] });
    expect(second?.canonical).toBeUndefined(); // the manifest's: unified-ws
    // Its members are covered (connectionCount(userId) by connectionCount(userId?)): a rename.
    expect(second?.exports.find((e) => e.name === 'ConnectionHub')).toMatchObject({
      rewrite: 'rename',
      canonical: 'WebSocketManager',
    });
    // What else the file exports is not part of the duplicate.
    expect(second?.exports.find((e) => e.name === '*')?.rewrite).toBe('stays');
  });

  it('refuses a draft for several repositories, and a bad code prefix', async () => {
    const a = repository(defer);
    const b = repository(defer);
    const many = await runCli(['audit', a, b, '--draft-manifest', join(a, 'm.json')]);
    expect([many.code, many.stderr]).toEqual([2, expect.stringContaining('one repository')]);
    const prefix = await runCli([
      'audit',
      a,
      '--draft-manifest',
      join(a, 'm.json'),
      '--code-prefix',
      'acme',
    ]);
    expect([prefix.code, prefix.stderr]).toEqual([2, expect.stringContaining('--code-prefix')]);
  });

  /** The groups of a repository, as name lists (sorted), and the members' importer counts. */
  async function grouped(
    root: string,
  ): Promise<{ names: string[][]; importers: Record<string, number>; canonical: string[] }> {
    const { groups } = JSON.parse((await runCli(['audit', root, '--json'])).stdout) as {
      groups: { canonical: { name: string }; members: { name: string; importers: number }[] }[];
    };
    return {
      names: groups.map((g) => g.members.map((m) => m.name).sort()),
      importers: Object.fromEntries(
        groups.flatMap((g) => g.members.map((m) => [m.name, m.importers])),
      ),
      canonical: groups.map((g) => g.canonical.name),
    };
  }

  const store = (name: string, extra = '') =>
    `get(key: string): string | undefined { return this.data.get(key); }\n  set(key: string, value: string): void { this.data.set(key, value); }\n  has(key: string): boolean { return this.data.has(key); }\n  clear(): void { this.data.clear(); }${extra}\n  private readonly data = new Map<string, string>(); // ${name}`;

  it('never groups variations by design: a facade and its drivers, subclasses of one base, an abstract base', async () => {
    const root = tempProject(defer, {
      'src/cache/memory.ts': `export class MemoryCache {\n  ${store('memory')}\n}\n`,
      'src/cache/none.ts': `export class NullCache {\n  ${store('none')}\n}\n`,
      // The facade builds its drivers: it is not a copy of them.
      'src/cache/index.ts': `import { MemoryCache } from './memory';\nimport { NullCache } from './none';\nexport class Cache {\n  private readonly driver: MemoryCache | NullCache;\n  constructor(kind: string) { this.driver = kind === 'memory' ? new MemoryCache() : new NullCache(); }\n  get(key: string) { return this.driver.get(key); }\n  set(key: string, value: string) { this.driver.set(key, value); }\n  has(key: string) { return this.driver.has(key); }\n  clear() { this.driver.clear(); }\n}\n`,
      'src/store/base.ts':
        'export abstract class Store {\n  abstract get(key: string): string;\n  abstract set(key: string, value: string): void;\n  abstract del(key: string): void;\n}\n',
      'src/store/redis.ts':
        "import { Store } from './base';\nexport class RedisStore extends Store {\n  get(key: string) { return key; }\n  set(key: string, value: string) {}\n  del(key: string) {}\n}\n",
      'src/store/mem.ts':
        "import { Store } from './base';\nexport class MemStore extends Store {\n  get(key: string) { return ''; }\n  set(key: string, value: string) {}\n  del(key: string) {}\n}\n",
    });
    const { names } = await grouped(root);
    // The two drivers are copies of each other (one group); the facade and the store family are not.
    expect(names).toEqual([['MemoryCache', 'NullCache']]);
  });

  it('splits a chain: every member matches the canonical one, not only a neighbour', async () => {
    const cls = (name: string, members: string[]) =>
      `export class ${name} {\n${members.map((m) => `  ${m}(a: string): void {}`).join('\n')}\n}\n`;
    const root = tempProject(defer, {
      // Room~Link share open/close/send; Link~Pipe share close/send/flush; Room and Pipe share two.
      'src/room.ts': cls('Room', ['open', 'close', 'send', 'join']),
      'src/link.ts': cls('Link', ['open', 'close', 'send', 'flush']),
      'src/pipe.ts': cls('Pipe', ['close', 'send', 'flush', 'drain']),
      'src/app.ts':
        "import { Room } from './room';\nimport { Link } from './link';\nexport const all = [Room, Link, new Room()];\n",
      'src/lobby.ts': "import { Room } from './room';\nexport const lobby = new Room();\n",
    });
    const { names } = await grouped(root);
    // Room, the most imported, is the canonical one: Link matches it, Pipe does not.
    expect(names).toEqual([['Link', 'Room']]);
  });

  it('groups two copies of one small class, whatever their surface', async () => {
    const reassembler =
      'class FrameBuffer {\n  private parts: Uint8Array[] = [];\n  push(part: Uint8Array): void {\n    this.parts.push(part);\n  }\n}\n';
    const root = tempProject(defer, {
      'src/transport/h3.ts': `// the first copy\n${reassembler}export const h3 = new FrameBuffer();\n`,
      'src/client/h3-client.ts': `${reassembler.replace('  push', '  // same body, other comments\n  push')}export const client = new FrameBuffer();\n`,
    });
    expect((await grouped(root)).names).toEqual([['FrameBuffer', 'FrameBuffer']]);
  });

  it("counts importers through barrels and the repository's own workspace packages", async () => {
    const root = tempProject(defer, {
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/core/package.json': JSON.stringify({ name: '@mono/core', main: 'build/index.js' }),
      'packages/core/src/index.ts': "export * from './realtime';\n",
      'packages/core/src/realtime/index.ts': "export { SocketHub } from './hub';\n",
      'packages/core/src/realtime/hub.ts': socketManager.replace('ConnectionHub', 'SocketHub'),
      'packages/app/src/a.ts':
        "import { SocketHub } from '@mono/core';\nexport const a = SocketHub;\n",
      'packages/app/src/b.ts':
        "import { SocketHub as Hub } from '@mono/core';\nexport const b = Hub;\n",
      'packages/core/src/c.ts':
        "import { SocketHub } from './realtime';\nexport const c = SocketHub;\n",
    });
    // a.ts and b.ts through the package and two barrels, c.ts through one, and both barrels.
    expect((await grouped(root)).importers.SocketHub).toBe(5);
  });

  it('drafts an entry per legacy file, its workspace package named, removeIn past a prerelease', async () => {
    const root = tempProject(defer, {
      'package.json': JSON.stringify({ name: 'mono', version: '0.0.0-dev' }),
      'packages/a/package.json': JSON.stringify({ name: '@mono/a' }),
      'packages/a/src/progress.ts': notifier('ProgressNotifier'),
      'packages/b/src/events.ts': notifier('AgentEvents'),
      // Another workspace package that exports the canonical one: imported by its name.
      'packages/b/package.json': JSON.stringify({ name: '@mono/b' }),
      'packages/b/src/index.ts': "export * from './events';\n",
      'packages/c/src/sender.ts': notifier('EventSender'),
      'packages/b/src/use.ts':
        "import { AgentEvents } from './events';\nexport const u = [AgentEvents, AgentEvents];\n",
      'packages/b/src/use2.ts':
        "import { AgentEvents } from './events';\nexport const v = AgentEvents;\n",
      'src/types.ts': 'export interface Ctx { userId: string }\n',
    });
    const out = join(root, 'draft.json');
    expect((await runCli(['audit', root, '--draft-manifest', out])).code).toBe(0);
    const manifest = parseManifest(readFileSync(out, 'utf8'));
    expect(manifest.entries.map((e) => [e.code, e.files, e.package, e.since, e.removeIn])).toEqual([
      ['MONO001', ['packages/a/src/progress.ts'], '@mono/a', '0.0.0-dev', '1.0.0'],
      ['MONO002', ['packages/c/src/sender.ts'], undefined, '0.0.0-dev', '1.0.0'],
    ]);
    expect(manifest.entries.map((e) => e.canonical)).toEqual(['@mono/b', '@mono/b']);
    expect(manifest.entries[0]?.exports[0]).toMatchObject({
      name: 'ProgressNotifier',
      rewrite: 'rename',
      canonical: 'AgentEvents',
      replacement: "import { AgentEvents } from '@mono/b'",
    });
  });

  it('never keeps two drivers of one interface in a group, even through a third class', async () => {
    const transport = (name: string) =>
      `export class ${name} implements Transport {\n  connect(url: string): void {}\n  send(data: string): void {}\n  sendUnreliable(data: string): void {}\n  close(): void {}\n}\n`;
    const root = tempProject(defer, {
      'src/transport.ts': `export interface Transport { connect(url: string): void }\n${transport('WsTransport')}${transport('H3Transport')}`,
      'src/room.ts':
        'export class Room {\n  connect(url: string): void {}\n  send(data: string): void {}\n  sendUnreliable(data: string): void {}\n  leave(): void {}\n  ping(): void {}\n}\n',
      'src/a.ts': "import { Room } from './room';\nexport const a = Room;\n",
      'src/b.ts': "import { Room } from './room';\nexport const b = Room;\n",
    });
    for (const group of (await grouped(root)).names)
      expect(group).not.toEqual(expect.arrayContaining(['H3Transport', 'WsTransport']));
  });

  it('drafts nothing, and says so, when there is no duplicate', async () => {
    const root = tempProject(defer, { 'src/a.ts': 'export const a = 1;\n' });
    const out = join(root, 'draft.json');
    const result = await runCli(['audit', root, '--draft-manifest', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('no duplicate implementation');
    expect(existsSync(out)).toBe(false);
  });

  it('takes since and removeIn from the package that holds the legacy file, and a subpath export as the target', async () => {
    const root = tempProject(defer, {
      'package.json': JSON.stringify({ name: 'mono', version: '1.0.0' }),
      'packages/app/package.json': JSON.stringify({ name: '@mono/app', version: '0.4.0' }),
      'packages/app/src/progress.ts': notifier('ProgressNotifier'),
      'packages/core/package.json': JSON.stringify({
        name: '@mono/core',
        exports: { '.': './src/index.ts', './*': './src/*.ts' },
      }),
      'packages/core/src/index.ts': 'export const version = 1;\n',
      'packages/core/src/events.ts': notifier('AgentEvents'),
      'packages/core/src/use.ts':
        "import { AgentEvents } from './events';\nexport const u = AgentEvents;\n",
      'packages/core/src/use2.ts':
        "import { AgentEvents } from './events';\nexport const v = AgentEvents;\n",
      'src/types.ts': 'export interface Ctx { userId: string }\n',
    });
    const out = join(root, 'draft.json');
    expect((await runCli(['audit', root, '--draft-manifest', out])).code).toBe(0);
    const [entry] = parseManifest(readFileSync(out, 'utf8')).entries;
    expect(entry).toMatchObject({
      package: '@mono/app',
      since: '0.4.0',
      removeIn: '1.0.0',
      canonical: '@mono/core/events',
    });
  });
});
