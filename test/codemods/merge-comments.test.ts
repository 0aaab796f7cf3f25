import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseManifest } from '../../src/manifest/from-json';
import { MANIFEST } from '../../src/manifest/builtin';
import { tempProject, useCleanup } from '../helpers';

// A legacy import that could go somewhere else takes its comments along, or stays where it is:
// never a `// eslint-disable-next-line` left pointing at another statement, nor a trailing note
// left on a line of its own.

const NODE = parseManifest(
  readFileSync(join(__dirname, '..', '..', 'docs', 'examples', 'node-protocol.json'), 'utf8'),
);
const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('comments of a legacy import statement', () => {
  const defer = useCleanup();

  function run(manifest: typeof MANIFEST, source: string): string {
    const root = tempProject(defer, { 'src/app.ts': source });
    const file = join(root, 'src/app.ts');
    const resolver = new ModuleResolver(manifest, { root });
    const { output } = legacyToCanonical(source, file, resolver);
    expect(legacyToCanonical(output, file, resolver).output).toBe(output);
    return output;
  }

  it('a path-only move keeps its statement: only the string changes (as prefer-node-protocol does)', () => {
    const source = lines(
      "import { join } from 'path';",
      "import { homedir } from 'os';",
      '// eslint-disable-next-line no-restricted-imports',
      "import { dirname } from 'path'; // trailing note",
      "import { basename } from 'path';",
      'export const all = [join, homedir, dirname, basename];',
    );
    expect(run(NODE, source)).toBe(source.replace(/'(path|os)'/g, "'node:$1'"));
  });

  it('a path-only move with comments is not merged into an existing canonical import either', () => {
    const source = lines(
      "import { MessageRouter } from 'unified-ws';",
      '// eslint-disable-next-line no-restricted-imports',
      "import { getWebSocketManager } from 'unified-ws/websocket-core/websocket-manager'; // at use time",
      'export const all = [MessageRouter, getWebSocketManager];',
    );
    expect(run(MANIFEST, source)).toBe(
      source.replace('unified-ws/websocket-core/websocket-manager', 'unified-ws'),
    );
  });

  it('names merged into another import take the directive above and the comment after their statement', () => {
    // A plain comment above describes what follows as much as the import: it stays.
    const source = lines(
      "import { MessageRouter } from 'unified-ws';",
      'const before = 1;',
      '// the old manager',
      '// eslint-disable-next-line no-restricted-imports',
      "import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager'; // until 2.0",
      'export const all = [MessageRouter, UnifiedWebSocketManager, before];',
    );
    expect(run(MANIFEST, source)).toBe(
      lines(
        'import {',
        '  MessageRouter,',
        '  // eslint-disable-next-line no-restricted-imports',
        '  WebSocketManager as UnifiedWebSocketManager, // until 2.0',
        "} from 'unified-ws';",
        'const before = 1;',
        '// the old manager',
        'export const all = [MessageRouter, UnifiedWebSocketManager, before];',
      ),
    );
  });

  it('a file header above a removed first import stays where it is', () => {
    const source = lines(
      '// Copyright the authors. MIT License.',
      "import { UnifiedWebSocketManager } from 'unified-ws/websocket-core/unified-manager';",
      "import { MessageRouter } from 'unified-ws';",
      'export const all = [MessageRouter, UnifiedWebSocketManager];',
    );
    expect(run(MANIFEST, source)).toBe(
      lines(
        '// Copyright the authors. MIT License.',
        "import { MessageRouter, WebSocketManager as UnifiedWebSocketManager } from 'unified-ws';",
        'export const all = [MessageRouter, UnifiedWebSocketManager];',
      ),
    );
  });
});
