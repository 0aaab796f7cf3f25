import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { useCleanup } from '../helpers';

// unified-ws's declarations compile with whatever @types/node a Node 20 project has, without
// skipLibCheck: they never use @types/node's generic EventEmitter<T>, which only 18.19.19 and
// 20.11.21 introduced (before them: TS2315 "Type 'EventEmitter' is not generic"). The manager's
// events stay typed through its own overloads.

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return declarations(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the package declarations and @types/node', () => {
  const defer = useCleanup();

  it('no declaration of dist/src or dist/shims needs the generic EventEmitter', () => {
    const files = ['src', 'shims'].flatMap((dir) => declarations(join(ROOT, 'dist', dir)));
    expect(files.length).toBeGreaterThan(50);
    const generic = files.filter((file) =>
      /\bEventEmitter(?:AsyncResource)?\s*</.test(
        readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ''),
      ),
    );
    expect(generic.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it("a consumer without skipLibCheck compiles, and the manager's events are typed", () => {
    const dir = mkdtempSync(join(tmpdir(), 'uws-node-types-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'unified-ws'), 'dir');
    symlinkSync(
      join(ROOT, 'node_modules', '@types', 'node'),
      join(dir, 'node_modules', '@types', 'node'),
      'dir',
    );
    writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    writeFileSync(
      join(dir, 'src', 'index.ts'),
      [
        "import { deprecatedModule, WebSocketManager, type ConnectionInfo } from 'unified-ws';",
        "import { nodeWebSocketFactory, type SocketFactory } from 'unified-ws/client';",
        '',
        'export const declare = deprecatedModule;',
        '// The Node entry of the client, with its own types under the node condition.',
        'export const factory: SocketFactory = nodeWebSocketFactory;',
        'export function watch(manager: WebSocketManager): void {',
        "  manager.on('connect', (info) => info.userId.toUpperCase());",
        "  manager.once('disconnect', (info: ConnectionInfo) => info.connectionId);",
        '  // @ts-expect-error not an event of the manager',
        "  manager.on('nope', () => undefined);",
        '  // @ts-expect-error a connect listener takes a ConnectionInfo',
        "  manager.on('connect', (info: number) => info);",
        '}',
        '',
      ].join('\n'),
    );
    const result = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect([result.status, result.stdout]).toEqual([0, '']);
  }, 60_000);
});
