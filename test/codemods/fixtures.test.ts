import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalToLegacy } from '../../src/migration/codemod/canonical-to-legacy';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseSource } from '../../src/migration/codemod/parse';
import { MANIFEST } from '../../src/manifest/builtin';

const FIXTURES = join(__dirname, '..', '..', 'codemods', '__testfixtures__');
const cases = (transform: string) =>
  readdirSync(join(FIXTURES, transform))
    .filter((file) => file.includes('.input.'))
    .map((file) => [file.replace(/\.input\..*$/, ''), join(FIXTURES, transform, file)] as const);
const read = (path: string) => readFileSync(path, 'utf8');
const outputOf = (input: string) => input.replace('.input.', '.output.');

/** Fixtures whose forward rewrite only moves paths or renames one module's names: reversible. */
const ROUND_TRIPS = ['named-import', 'rename-with-references', 'inline-type'];

describe('legacy-to-canonical fixtures', () => {
  const resolver = new ModuleResolver(MANIFEST, { root: join(FIXTURES, 'legacy-to-canonical') });

  it.each(cases('legacy-to-canonical'))('%s', (_name, input) => {
    const result = legacyToCanonical(read(input), input, resolver);
    expect(result.output).toBe(read(outputOf(input)));
    expect(() => parseSource(result.output, input)).not.toThrow();
    // Idempotent: a second run changes nothing.
    expect(legacyToCanonical(result.output, input, resolver).output).toBe(result.output);
  });

  it('writes every marker as one line of at most 160 characters, with the docs link', () => {
    const markers = cases('legacy-to-canonical').flatMap(([, input]) =>
      legacyToCanonical(read(input), input, resolver)
        .output.split('\n')
        .filter((line) => line.includes('// unified-ws(')),
    );
    expect(markers.length).toBeGreaterThan(10);
    for (const line of markers) {
      expect(line.trim().length).toBeLessThanOrEqual(160);
      expect(line).toMatch(
        /^\s*\/\/ unified-ws\(UWS\d{3}\): .+; see docs\/deprecations\.md#uws\d{3}$/,
      );
    }
  });

  it.each(ROUND_TRIPS)('%s: forward then reverse gives back the original bytes', (name) => {
    const input = join(FIXTURES, 'legacy-to-canonical', `${name}.input.ts`);
    const forward = legacyToCanonical(read(input), input, resolver).output;
    expect(canonicalToLegacy(forward, input, MANIFEST).output).toBe(read(input));
  });

  it('covers every code that has a same-object, rename or call rewrite, and markers', () => {
    const outputs = cases('legacy-to-canonical').map(([, input]) =>
      legacyToCanonical(read(input), input, resolver),
    );
    const rewritten = new Set(outputs.flatMap((r) => r.codes));
    const marked = new Set(outputs.flatMap((r) => r.markers.map((m) => m.code)));
    for (const entry of MANIFEST.entries) {
      const automatic = entry.exports.some(
        (e) => e.rewrite === 'same-object' || e.rewrite === 'rename' || e.calls,
      );
      if (automatic) expect([entry.code, rewritten.has(entry.code)]).toEqual([entry.code, true]);
    }
    expect(marked.size).toBeGreaterThan(3);
  });
});

describe('canonical-to-legacy fixtures', () => {
  it.each(cases('canonical-to-legacy'))('%s', (_name, input) => {
    const result = canonicalToLegacy(read(input), input, MANIFEST);
    expect(result.output).toBe(read(outputOf(input)));
    expect(() => parseSource(result.output, input)).not.toThrow();
  });
});

describe('bad input', () => {
  const resolver = new ModuleResolver(MANIFEST);

  it.each([
    [
      'a TypeScript syntax error',
      'broken.ts',
      "import { WebSocketManager } from 'unified-ws/websocket-core/websocket-manager';\nconst = ;\n",
      2,
    ],
    [
      'JSX in a .ts file',
      'component.ts',
      "import { websocketManager } from 'unified-ws/websocket-core/manager';\nconst x = <div />;\n",
      2,
    ],
    [
      'TypeScript in a .js file',
      'typed.js',
      "const { getWebSocketManager } = require('unified-ws/websocket-core/websocket-manager');\nlet x: number = 1;\n",
      2,
    ],
  ])('reports %s with its line and leaves the file untouched', (_name, file, source, line) => {
    const result = legacyToCanonical(source, file, resolver);
    expect(result.status).toBe('parse-error');
    expect(result.output).toBe(source);
    expect(result.error?.line).toBe(line);
  });

  it('leaves a file without legacy imports alone without parsing it', () => {
    const source = 'this is not even JavaScript {';
    expect(legacyToCanonical(source, 'notes.ts', resolver)).toMatchObject({
      status: 'unchanged',
      output: source,
    });
  });
});
