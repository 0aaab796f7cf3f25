import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseJsonc } from '../../src/migration/codemod/tsconfig-paths';
import { parseManifest } from '../../src/manifest/from-json';
import { useCleanup } from '../helpers';

const manifest = parseManifest({
  package: '@acme/app',
  canonical: 'unified-ws',
  entries: [
    {
      code: 'ACME001',
      files: ['src/realtime/socket-manager.ts'],
      summary: 'Our socket manager.',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: [
        {
          name: 'SocketManager',
          rewrite: 'rename',
          canonical: 'WebSocketManager',
          replacement: "import { WebSocketManager } from 'unified-ws'",
        },
      ],
    },
    {
      code: 'ACME002',
      files: ['src/notify/index.ts'],
      summary: 'Our notifier.',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: [
        {
          name: 'getManager',
          rewrite: 'rename',
          canonical: 'getWebSocketManager',
          replacement: 'getWebSocketManager',
        },
      ],
    },
  ],
});

describe('ModuleResolver: module identity, not string matching', () => {
  const defer = useCleanup();

  function repo(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'uws-resolve-'));
    defer(() => rmSync(root, { recursive: true, force: true }));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  const tsconfigs = {
    'tsconfig.base.json':
      '{\n  // shared settings\n  "compilerOptions": {\n    "baseUrl": ".",\n    "paths": { "@app/*": ["src/*"], "~notify": ["src/notify"], "@sockets": ["src/realtime/socket-manager.ts"] },\n  },\n}\n',
    'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }',
  };

  it.each([
    ['a relative path', 'src/feature/a.ts', '../realtime/socket-manager', 'ACME001'],
    [
      'a relative path with the .js of ESM TypeScript',
      'src/feature/a.ts',
      '../realtime/socket-manager.js',
      'ACME001',
    ],
    ['a relative path with its extension', 'src/a.ts', './realtime/socket-manager.ts', 'ACME001'],
    [
      'a tsconfig paths alias (through extends)',
      'src/feature/a.ts',
      '@app/realtime/socket-manager',
      'ACME001',
    ],
    ['baseUrl', 'lib/x.ts', 'src/realtime/socket-manager', 'ACME001'],
    ['an index file by its directory', 'src/feature/a.ts', '../notify', 'ACME002'],
    ['an index file through an exact alias', 'src/a.ts', '~notify', 'ACME002'],
    ['an index file named', 'src/a.ts', './notify/index.js', 'ACME002'],
  ])('resolves %s', (_name, from, specifier, code) => {
    const root = repo(tsconfigs);
    expect(new ModuleResolver(manifest, { root }).resolve(specifier, join(root, from))?.code).toBe(
      code,
    );
  });

  it.each([
    ['another file of the same name elsewhere', 'src/a.ts', './other/socket-manager'],
    ['a package of the same name', 'src/a.ts', 'socket-manager'],
    ['an alias that points elsewhere', 'src/a.ts', '@app/other/socket-manager'],
  ])('does not mistake %s for a legacy module', (_name, from, specifier) => {
    const root = repo(tsconfigs);
    expect(
      new ModuleResolver(manifest, { root }).resolve(specifier, join(root, from)),
    ).toBeUndefined();
  });

  it('rewrites a consumer of repository files to the canonical import', () => {
    const root = repo(tsconfigs);
    const resolver = new ModuleResolver(manifest, { root });
    const source =
      'import { SocketManager } from \'@app/realtime/socket-manager\';\nimport { getManager } from "../notify";\n\nexport const m = new SocketManager(getManager());\n';
    const result = legacyToCanonical(source, join(root, 'src', 'feature', 'a.ts'), resolver);
    expect(result.output).toBe(
      "import { WebSocketManager as SocketManager, getWebSocketManager as getManager } from 'unified-ws';\n\nexport const m = new SocketManager(getManager());\n",
    );
    expect(result.codes).toEqual(['ACME001', 'ACME002']);
    expect(resolver.needles).toEqual(expect.arrayContaining(['socket-manager', 'notify']));
  });

  it('rewrites a file that names a legacy file only through an exact alias', () => {
    // The text prefilter looks for the alias itself: the file never writes "socket-manager".
    const root = repo(tsconfigs);
    const resolver = new ModuleResolver(manifest, { root });
    const source =
      "import { SocketManager } from '@sockets';\n\nexport const m = new SocketManager();\n";
    const result = legacyToCanonical(source, join(root, 'src', 'feature', 'a.ts'), resolver);
    expect(result.output).toBe(
      "import { WebSocketManager as SocketManager } from 'unified-ws';\n\nexport const m = new SocketManager();\n",
    );
    expect(resolver.needles).toContain('@sockets');
  });

  it('reads tsconfig JSON with comments and trailing commas', () => {
    expect(parseJsonc('{ // c\n "a": [1, 2,], /* d */ "b": "//not a comment", }')).toEqual({
      a: [1, 2],
      b: '//not a comment',
    });
  });
});
