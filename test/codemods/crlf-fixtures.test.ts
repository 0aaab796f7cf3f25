import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseSource } from '../../src/migration/codemod/parse';
import { MANIFEST } from '../../src/manifest/builtin';

// Files written with CRLF line breaks: every line break a rewrite inserts (a marker, a new import,
// a specifier added to a list, a list broken to one specifier a line) is CRLF too. The fixtures sit
// apart from legacy-to-canonical/ because fixtures.test.ts reads markers line by line on `\n`.

const DIR = join(__dirname, '..', '..', 'codemods', '__testfixtures__', 'legacy-to-canonical-crlf');
const cases = readdirSync(DIR)
  .filter((file) => file.includes('.input.'))
  .map((file) => [file.replace(/\.input\..*$/, ''), join(DIR, file)] as const);
const read = (path: string) => readFileSync(path, 'utf8');
/** Line breaks that are a `\n` alone. */
const lonelyLineFeeds = (text: string) => text.match(/(?<!\r)\n/g)?.length ?? 0;

describe('legacy-to-canonical fixtures with CRLF line breaks', () => {
  const resolver = new ModuleResolver(MANIFEST, { root: DIR });

  it('has fixtures, written with CRLF only', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const [, input] of cases) {
      expect(lonelyLineFeeds(read(input))).toBe(0);
      expect(lonelyLineFeeds(read(input.replace('.input.', '.output.')))).toBe(0);
    }
  });

  it.each(cases)('%s', (_name, input) => {
    const result = legacyToCanonical(read(input), input, resolver);
    expect(result.output).toBe(read(input.replace('.input.', '.output.')));
    expect(lonelyLineFeeds(result.output)).toBe(0);
    expect(() => parseSource(result.output, input)).not.toThrow();
    expect(legacyToCanonical(result.output, input, resolver).output).toBe(result.output);
  });

  it('follows the line break of the first line in a file that mixes them', () => {
    const source = [
      "import { WebSocketManager, WebSocketManagerOptions } from 'unified-ws/websocket-core/websocket-manager';",
      '',
      'export const parts = [WebSocketManager];\n',
    ].join('\r\n');
    const { output } = legacyToCanonical(source, join(DIR, 'mixed.ts'), resolver);
    // A marker and a new import, each a CRLF line; the file's last line break stays as it was.
    expect(output.split('\r\n')).toHaveLength(5);
    expect(output).toMatch(
      /^\/\/ unified-ws\(UWS002\)[^\n]*\r\nimport \{ WebSocketManagerOptions \}/,
    );
    expect(output).toContain("\r\nimport { WebSocketManager } from 'unified-ws';\r\n");
    expect(lonelyLineFeeds(output)).toBe(1);
  });
});
