import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { TELEMETRY_FILE_ENV, type TelemetryLine } from '../../src/deprecation/index';
import {
  clearSourceMaps,
  originalPosition,
  SOURCE_MAP_CACHE_SIZE,
} from '../../src/deprecation/source-map';
import { tempProject, useCleanup } from '../helpers';

// Call sites in source terms: an application built by tsc runs its JS, and the telemetry names the
// TypeScript line and column — through a `.map` beside the file, an inline map, or Node's own
// --enable-source-maps, all alike; a broken map leaves the JS position, and the app runs on.

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'src', 'index.js');

// Interfaces and types vanish and `import` becomes `require`: lines and columns move in the JS.
const SOURCE = `// A legacy caller, as a team writes it.
import { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';

interface Notifier {
  notifyAgentStarted(context: { userId: string; runId: string }, agent: string): Promise<void>;
}

export function notifier(label: string): Notifier {
  const typed: Record<string, number> = { [label]: 1 };
  return typed[label] === 1 ? new WebSocketManagerAdapter() : new WebSocketManagerAdapter();
}

notifier('x');
`;

/** The 1-based `line:column` of the first `marker` in `text`. */
function at(text: string, marker: string): string {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`${marker} is not in the text`);
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

type MapKind = 'beside' | 'inline';

/** A project with src/x.ts compiled by tsc into build/x.js with its map, unified-ws installed. */
function compiled(defer: Parameters<typeof tempProject>[0], map: MapKind): string {
  const dir = tempProject(defer, { 'src/x.ts': SOURCE }, 'uws-call-site-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'unified-ws'), 'dir');
  const program = ts.createProgram([join(dir, 'src', 'x.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    rootDir: join(dir, 'src'),
    outDir: join(dir, 'build'),
    types: [],
    noLib: true,
    ...(map === 'beside' ? { sourceMap: true } : { inlineSourceMap: true }),
  });
  // Only the emit matters here: no lib, and the diagnostics go unread.
  expect(program.emit().emitSkipped).toBe(false);
  return dir;
}

/** Runs build/x.js with the built package and returns the call sites of its telemetry. */
function sites(dir: string, flags: string[] = []): string[] {
  const telemetry = join(dir, 'telemetry.jsonl');
  const result = spawnSync(process.execPath, [...flags, join('build', 'x.js')], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      [TELEMETRY_FILE_ENV]: telemetry,
      UNIFIED_WS_DEPRECATIONS: 'silent',
    },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return readFileSync(telemetry, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TelemetryLine)
    .filter((line) => line.code === 'UWS006')
    .map((line) => line.site);
}

describe('call sites through source maps', () => {
  const defer = useCleanup();
  // The import of the shim, then the construction in notifier().
  const inSource = [
    `src/x.ts:${at(SOURCE, 'import { WebSocketManagerAdapter }')}`,
    `src/x.ts:${at(SOURCE, 'new WebSocketManagerAdapter()')}`,
  ];

  beforeAll(() => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run "npm run build"`);
  });

  it('maps a site through the .map beside the compiled file, to the TypeScript line and column', () => {
    const dir = compiled(defer, 'beside');
    const js = readFileSync(join(dir, 'build', 'x.js'), 'utf8');
    expect(js).toMatch(/\/\/# sourceMappingURL=x\.js\.map\s*$/);
    // The JS position is elsewhere: the site did go through the map.
    expect(at(js, 'new agent_registry_1.WebSocketManagerAdapter()')).not.toBe(
      at(SOURCE, 'new WebSocketManagerAdapter()'),
    );
    expect(sites(dir)).toEqual(inSource);
  });

  it('gives the same site under --enable-source-maps (Node maps the frame itself)', () => {
    const dir = compiled(defer, 'beside');
    expect(sites(dir, ['--enable-source-maps'])).toEqual(inSource);
  });

  it('finds a .map beside the file without a sourceMappingURL comment', () => {
    const dir = compiled(defer, 'beside');
    const file = join(dir, 'build', 'x.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\/\/# sourceMappingURL=.*\s*$/, ''));
    expect(sites(dir)).toEqual(inSource);
  });

  it('reads an inline base64 map', () => {
    const dir = compiled(defer, 'inline');
    expect(existsSync(join(dir, 'build', 'x.js.map'))).toBe(false);
    expect(readFileSync(join(dir, 'build', 'x.js'), 'utf8')).toContain(
      '//# sourceMappingURL=data:application/json;base64,',
    );
    expect(sites(dir)).toEqual(inSource);
  });

  it("resolves the sources against the map's sourceRoot", () => {
    const dir = compiled(defer, 'beside');
    const mapFile = join(dir, 'build', 'x.js.map');
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
    expect(map.sources).toEqual(['../src/x.ts']);
    writeFileSync(mapFile, JSON.stringify({ ...map, sourceRoot: '../src', sources: ['x.ts'] }));
    expect(sites(dir)).toEqual(inSource);
  });

  it.each([
    ['not JSON', '{"version": 3, "sources": ['],
    ['not a version 3 map', JSON.stringify({ version: 2, sources: ['x.ts'], mappings: 'AAAA' })],
    ['without sources', JSON.stringify({ version: 3, mappings: 'AAAA' })],
    ['without mappings', JSON.stringify({ version: 3, sources: ['../src/x.ts'] })],
  ])('a malformed map (%s) leaves the JS site, and the app runs on', (_, text) => {
    const dir = compiled(defer, 'beside');
    writeFileSync(join(dir, 'build', 'x.js.map'), text);
    const js = readFileSync(join(dir, 'build', 'x.js'), 'utf8');
    expect(sites(dir)).toEqual([
      `build/x.js:${at(js, 'require("unified-ws/agents/supervisor/agent-registry")')}`,
      `build/x.js:${at(js, 'new agent_registry_1.WebSocketManagerAdapter()')}`,
    ]);
  });
});

describe('originalPosition', () => {
  const defer = useCleanup();
  beforeEach(() => clearSourceMaps());
  afterAll(() => clearSourceMaps());

  it('answers undefined, never throws, for a missing file, no map, or a position with no source', () => {
    const dir = tempProject(defer, {
      'plain.js': 'module.exports = 1;\n',
      'bad.js': 'module.exports = 1;\n//# sourceMappingURL=data:application/json;base64,!!!\n',
      'remote.js': 'module.exports = 1;\n//# sourceMappingURL=https://example.com/remote.js.map\n',
    });
    expect(originalPosition(join(dir, 'missing.js'), 1, 1)).toBeUndefined();
    expect(originalPosition(join(dir, 'plain.js'), 1, 1)).toBeUndefined();
    expect(originalPosition(join(dir, 'bad.js'), 1, 1)).toBeUndefined();
    expect(originalPosition(join(dir, 'remote.js'), 1, 1)).toBeUndefined();
    // A map whose first line has no segment: line 1 maps to nothing.
    writeFileSync(
      join(dir, 'empty.js.map'),
      JSON.stringify({ version: 3, sources: ['empty.ts'], mappings: '' }),
    );
    writeFileSync(join(dir, 'empty.js'), 'module.exports = 1;\n');
    expect(originalPosition(join(dir, 'empty.js'), 1, 1)).toBeUndefined();
  });

  it('maps 1-based positions to 1-based positions in the resolved source', () => {
    const dir = tempProject(defer, {
      'build/a.js': 'a;\nb;\n//# sourceMappingURL=maps/a.js.map\n',
      // Line 2, column 0 of the JS is line 5, column 2 of ../../src/a.ts (from maps/).
      'build/maps/a.js.map': JSON.stringify({
        version: 3,
        sources: ['../../src/a.ts'],
        mappings: 'AAAA;AAIE',
      }),
    });
    expect(originalPosition(join(dir, 'build', 'a.js'), 2, 1)).toEqual({
      source: join(dir, 'src', 'a.ts'),
      line: 5,
      column: 3,
    });
  });

  it('remembers a file without a map, and keeps the most recent files only', () => {
    const dir = tempProject(defer, { 'late.js': 'late;\n' });
    const late = join(dir, 'late.js');
    expect(originalPosition(late, 1, 1)).toBeUndefined();
    writeFileSync(
      `${late}.map`,
      JSON.stringify({ version: 3, sources: ['late.ts'], mappings: 'AAAA' }),
    );
    // Remembered as absent: the file is not read again.
    expect(originalPosition(late, 1, 1)).toBeUndefined();
    // Once as many other files pushed it out, it is read anew.
    for (let i = 0; i < SOURCE_MAP_CACHE_SIZE; i++)
      originalPosition(join(dir, `other-${i}.js`), 1, 1);
    expect(originalPosition(late, 1, 1)).toEqual({
      source: join(dir, 'late.ts'),
      line: 1,
      column: 1,
    });
  });
});
