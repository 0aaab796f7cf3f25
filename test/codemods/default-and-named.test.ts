import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseManifest } from '../../src/manifest/from-json';
import { MANIFEST } from '../../src/manifest/builtin';

// `import fs, { readFileSync } from 'fs'`: a default import with named ones. When every name of
// the module is the same object in the target (a path-only move), its string moves like any
// import's; otherwise it still gets a marker.

const NODE = parseManifest(
  readFileSync(join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json'), 'utf8'),
);

describe('a default import with named imports', () => {
  it('moves on a path-only move', () => {
    const source =
      "import fs, { readFileSync } from 'fs';\nexport const all = [fs, readFileSync];\n";
    const result = legacyToCanonical(
      source,
      '/repo/app.ts',
      new ModuleResolver(NODE, { root: '/repo' }),
    );
    expect(result.markers).toEqual([]);
    expect(result.output).toBe(source.replace("'fs'", "'node:fs'"));
  });

  it('is marked when its names differ in the target', () => {
    const source =
      "import manager, { WebSocketManager } from 'unified-ws/websocket-core/manager';\nexport const all = [manager, WebSocketManager];\n";
    const result = legacyToCanonical(
      source,
      '/repo/app.ts',
      new ModuleResolver(MANIFEST, { root: '/repo' }),
    );
    expect(result.markers.map((m) => m.reason)).toEqual([
      'a default import with named imports of unified-ws/websocket-core/manager: migrate by hand',
    ]);
  });
});
