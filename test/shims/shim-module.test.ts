import { parseManifest } from '../../src/manifest/from-json';
import type { LegacyExportJson } from '../../src/manifest/types';
import { ParseFailure } from '../../src/migration/codemod/parse';
import { ShimRefusal, shimModule, type ShimFileResult } from '../../src/migration/shim-module';

// The shim of a team's legacy file (what `unified-ws shim` writes), text in, text out. The CLI
// test (test/cli/shim.test.ts) type-checks, runs and reverts one on a real repository.

/** The tag of a team's export: how to migrate it with its own manifest; a manual one, where it is explained. */
const TAG = (code: string, replacement: string, manual = false) =>
  `@deprecated ${code}: use ${replacement}. ${manual ? 'See consolidation.json' : 'Run `unified-ws migrate --manifest consolidation.json`'}`;

const same = (name: string, extra: Partial<LegacyExportJson> = {}): LegacyExportJson => ({
  name,
  rewrite: 'same-object',
  canonical: name,
  replacement: `import { ${name} } from 'unified-ws'`,
  ...extra,
});

function shim(
  source: string,
  file: string,
  exports: LegacyExportJson[],
  options: { canonical?: string; requires?: string; installed?: string } = {},
): ShimFileResult {
  const parsed = parseManifest({
    package: '@acme/app',
    canonical: options.canonical ?? 'unified-ws',
    entries: [
      {
        code: 'ACME002',
        files: [file],
        summary: 'S.',
        since: '0.1.0',
        removeIn: '2.0.0',
        ...(options.requires === undefined ? {} : { requires: options.requires }),
        exports,
      },
    ],
  });
  const manifest = { ...parsed, file: 'consolidation.json' };
  const entry = manifest.entries[0];
  if (!entry) throw new Error('no entry');
  return shimModule(source, file, {
    manifest,
    entry,
    installedVersion: () => options.installed ?? '0.1.0',
  });
}

/** The runtime call's literal for an entry of one file (the lines between the import and `});`). */
const call = (file: string, exports: string) =>
  `deprecatedModule({
  package: '@acme/app',
  canonical: 'unified-ws',
  manifest: { file: 'consolidation.json' },
  code: 'ACME002',
  files: ['${file}'],
  summary: 'S.',
  since: '0.1.0',
  removeIn: '2.0.0',
  exports: [
${exports}
  ],
});`;

describe('shimModule', () => {
  it('an export list: the moved class goes with the imports only it used; the manual helper keeps its implementation and gets its tag; the license and a side-effect import stay', () => {
    const source = `/* Copyright 2020 Acme (MIT license) */
import { a, b as bee, type C } from './dep';
import def, * as ns from "./other";
import './polyfill';

class Hub {
  c: C | undefined;
  make() { return a() + bee; }
}

/** A helper. */
function helper(): string {
  return ns.x + def;
}

export { Hub as SocketHub, helper };
`;
    const result = shim(source, 'src/hub.ts', [
      {
        name: 'SocketHub',
        rewrite: 'rename',
        canonical: 'WebSocketManager',
        replacement: 'WebSocketManager',
      },
      { name: 'helper', rewrite: 'manual', replacement: 'nothing' },
    ]);
    expect(result.output).toBe(`/* Copyright 2020 Acme (MIT license) */
import def, * as ns from "./other";
import './polyfill';
import { deprecatedModule } from 'unified-ws';

${call(
  'src/hub.ts',
  `    {
      name: 'SocketHub',
      rewrite: 'rename',
      canonical: 'WebSocketManager',
      replacement: 'WebSocketManager',
    },
    { name: 'helper', rewrite: 'manual', replacement: 'nothing' },`,
)}

export {
  /** ${TAG('ACME002', 'WebSocketManager')} */
  WebSocketManager as SocketHub,
} from 'unified-ws';

/** A helper. */
function helper(): string {
  return ns.x + def;
}

export {
  /** ${TAG('ACME002', 'nothing', true)} */
  helper,
};
`);
    expect(result).toMatchObject({
      status: 'shimmed',
      moved: [{ name: 'SocketHub', canonical: 'WebSocketManager', typeOnly: false }],
      kept: [{ name: 'helper', rewrite: 'manual' }],
      notes: [],
    });
  });

  it('kept code that uses a moved name gets the canonical object under that name; its comment stays with it', () => {
    const source = `import { EventEmitter } from 'events';

export class SocketHub extends EventEmitter {}

export interface Options { port: number }

// Counts users.
export function countOn(hub: SocketHub, options: Options): number {
  return hub.listenerCount('x') + options.port;
}
`;
    const result = shim(source, 'src/hub.ts', [
      {
        name: 'SocketHub',
        rewrite: 'rename',
        canonical: 'WebSocketManager',
        replacement: 'WebSocketManager',
      },
      {
        name: 'Options',
        rewrite: 'rename',
        canonical: 'WebSocketManagerOptions',
        typeOnly: true,
        replacement: 'x',
      },
      { name: 'countOn', rewrite: 'call-rewrite', replacement: 'manager.connectionCount()' },
    ]);
    const output = result.output ?? '';
    expect(
      output.startsWith(`import { WebSocketManager as SocketHub } from 'unified-ws';
import type { WebSocketManagerOptions as Options } from 'unified-ws';
import { deprecatedModule } from 'unified-ws';
`),
    ).toBe(true);
    expect(
      output.endsWith(`export type {
  /** ${TAG('ACME002', 'x')} */
  WebSocketManagerOptions as Options,
} from 'unified-ws';

// Counts users.
/** ${TAG('ACME002', 'manager.connectionCount()')} */
export function countOn(hub: SocketHub, options: Options): number {
  return hub.listenerCount('x') + options.port;
}
`),
    ).toBe(true);
    expect(output).not.toContain('EventEmitter');
  });

  it('"*": every export moves, types with export type; a repository file target as a relative path with .js; the file\'s double quotes and no semicolons', () => {
    const source = `import { helper } from "./helper.js"

export const PORT = 8080
export type Port = number
export function open(port: Port) {
  return helper(port)
}
export default open
`;
    const result = shim(source, 'src/legacy/socket.ts', [{ name: '*', rewrite: 'same-object' }], {
      canonical: './src/realtime/socket.ts',
    });
    const tag = `/** ${TAG('ACME002', "the same name from './src/realtime/socket.ts'")} */`;
    expect(result.output).toBe(`import { deprecatedModule } from "unified-ws"

deprecatedModule({
  package: "@acme/app",
  canonical: "./src/realtime/socket.ts",
  manifest: { file: "consolidation.json" },
  code: "ACME002",
  files: ["src/legacy/socket.ts"],
  summary: "S.",
  since: "0.1.0",
  removeIn: "2.0.0",
  exports: [
    {
      name: "*",
      rewrite: "same-object",
      replacement: "the same name from './src/realtime/socket.ts'",
    },
  ],
})

export {
  ${tag}
  PORT,
  ${tag}
  open,
  ${tag}
  default,
} from "../realtime/socket.js"
export type {
  ${tag}
  Port,
} from "../realtime/socket.js"
`);
  });

  it('a version condition the installed package does not meet keeps the implementation, tagged, and says why', () => {
    const result = shim(
      'export function connect() {}\n',
      'src/m.ts',
      [{ name: '*', rewrite: 'same-object' }],
      { requires: '>=9.0.0' },
    );
    expect(result.moved).toEqual([]);
    expect(result.kept).toEqual([
      {
        name: 'connect',
        rewrite: 'same-object',
        reason: 'needs unified-ws@>=9.0.0 (installed: 0.1.0)',
      },
    ]);
    expect(result.output).toContain(
      `/** ${TAG('ACME002', "the same name from 'unified-ws'")} */\nexport function connect() {}\n`,
    );
  });

  it('doc comments: @deprecated joins an existing one; a doc comment right above a moved declaration goes with it; a file header stays', () => {
    const result = shim(
      `// header: the realtime helpers\n\n/** Doc of a. */\nexport function a() {}\n\n/**\n * Doc of b.\n */\nexport function b() {}\n`,
      'src/m.ts',
      [same('a'), { name: 'b', rewrite: 'manual', replacement: 'z' }],
    );
    const output = result.output ?? '';
    expect(
      output.startsWith('// header: the realtime helpers\n\nimport { deprecatedModule }'),
    ).toBe(true);
    expect(output).not.toContain('Doc of a');
    expect(
      output.endsWith(`} from 'unified-ws';

/**
 * Doc of b.
 * ${TAG('ACME002', 'z', true)}
 */
export function b() {}
`),
    ).toBe(true);
  });

  it('in JavaScript: type-only names are not re-exported (a note says so); export default moves', () => {
    const result = shim(
      '// @ts-check\nexport default class Hub {}\nexport const VERSION = 2;\n',
      'src/m.js',
      [
        { name: 'default', rewrite: 'rename', canonical: 'WebSocketManager', replacement: 'x' },
        { name: 'VERSION', rewrite: 'stays' },
      ],
    );
    expect(
      result.output?.startsWith("// @ts-check\n\nimport { deprecatedModule } from 'unified-ws';\n"),
    ).toBe(true);
    expect(result.output).toContain(`export {
  /** ${TAG('ACME002', 'x')} */
  WebSocketManager as default,
} from 'unified-ws';

export const VERSION = 2;
`);
    expect(result.output).not.toContain('class Hub');
    const types = shim('export const a = 1;\nexport const b = 2;\n', 'src/t.js', [
      same('a', { typeOnly: true }),
    ]);
    expect(types.notes).toEqual([
      'src/t.js: a is type-only: not re-exported from a JavaScript file',
    ]);
  });

  it('removes only what the shim leaves unused: code nothing used before stays as it was', () => {
    const result = shim(
      "import { unused } from './nowhere';\nimport { used } from './dep';\n\nconst DEBUG = false;\nconst helper = () => used;\n\nexport const a = helper;\n",
      'src/m.ts',
      [same('a')],
    );
    expect(result.output).toContain("import { unused } from './nowhere';\n");
    expect(result.output).toContain('const DEBUG = false;\n');
    expect(result.output).not.toContain('import { used }');
    expect(result.output).not.toContain('helper');
  });

  it('takes another local name for the runtime call when deprecatedModule is taken', () => {
    const result = shim(
      'const deprecatedModule = 1;\nexport const x = deprecatedModule;\nexport const y = 2;\n',
      'src/m.ts',
      [same('y')],
    );
    expect(result.output).toContain(
      "import { deprecatedModule as deprecatedModule2 } from 'unified-ws';\n\ndeprecatedModule2({",
    );
    expect(result.kept).toEqual([{ name: 'x', rewrite: 'unlisted' }]);
  });

  it('is idempotent: the shim of its own output is the file as it is', () => {
    const first = shim('export class A {}\nexport function b() {}\n', 'src/m.ts', [
      same('A'),
      { name: 'b', rewrite: 'manual', replacement: 'z' },
    ]);
    const second = shim(first.output ?? '', 'src/m.ts', [
      same('A'),
      { name: 'b', rewrite: 'manual', replacement: 'z' },
    ]);
    expect(second).toEqual({
      path: 'src/m.ts',
      status: 'already-shim',
      moved: [],
      kept: [],
      notes: [],
    });
  });

  it.each([
    [
      'a declaration that both moves and stays',
      'src/m.ts',
      'export const a = 1, b = 2;\n',
      'src/m.ts:1: a moves to unified-ws but b stays: declare them apart first',
    ],
    [
      'export =',
      'src/m.ts',
      'const x = 1;\nexport = x;\n',
      'src/m.ts:2: `export =` is not supported: shim rewrites ES module exports',
    ],
    [
      'a CommonJS module',
      'src/m.js',
      'const x = 1;\nmodule.exports = { x };\n',
      'src/m.js:1: no export statements: shim rewrites ES modules (`export …`), not `module.exports`',
    ],
    [
      'the shim of another code',
      'src/m.ts',
      "import { deprecatedModule } from 'unified-ws';\ndeprecatedModule({ code: 'ACME009' });\nexport const a = 1;\n",
      'src/m.ts:1: already the shim of ACME009, not of ACME002',
    ],
  ])('refuses %s, naming the line', (_title, file, source, message) => {
    let error: unknown;
    try {
      shim(source, file, [same('a'), same('x')]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ShimRefusal);
    expect((error as Error).message).toBe(message);
  });

  it('a file that does not parse is a ParseFailure with its line', () => {
    expect(() => shim('export const = ;\n', 'src/m.ts', [same('a')])).toThrow(ParseFailure);
  });
});
