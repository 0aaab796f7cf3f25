import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { resolverFor } from '../../src/migration/codemod/load-manifest';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseManifest } from '../../src/manifest/from-json';
import { tempProject, useCleanup } from '../helpers';

// Markers as a user's repository sees them (rxjs/operators → rxjs, which needs rxjs 7.2): one line
// per statement naming every name that needs attention, counted as the lines written; replaced or
// removed when a later run finds the statement otherwise; linked to the manifest's own docs.

const RXJS = {
  package: 'rxjs',
  canonical: 'rxjs',
  entries: [
    {
      code: 'RX001',
      module: 'operators',
      requires: '>=7.2.0',
      summary: 'rxjs/operators: the operators are exported by rxjs itself since 7.2.',
      since: '1.0.0',
      removeIn: '2.0.0',
      exports: [{ name: '*', rewrite: 'same-object' }],
    },
  ],
};

const IMPORT = "import { catchError, filter, mergeMap, tap } from 'rxjs/operators';";
const lines = (...text: string[]) => `${text.join('\n')}\n`;
const markerLines = (text: string) => text.split('\n').filter((l) => l.includes('// unified-ws('));

describe('markers', () => {
  const defer = useCleanup();

  /** A project with rxjs at `version` (none: not installed) and src/app.ts. */
  function project(source: string, version?: string) {
    const root = tempProject(defer, {
      'src/app.ts': source,
      ...(version
        ? { 'node_modules/rxjs/package.json': JSON.stringify({ name: 'rxjs', version }) }
        : {}),
    });
    return { root, file: join(root, 'src/app.ts') };
  }
  const install = (root: string, version: string) =>
    writeFileSync(
      join(root, 'node_modules/rxjs/package.json'),
      JSON.stringify({ name: 'rxjs', version }),
    );
  const run = (
    manifest: unknown,
    root: string,
    file: string,
    source = readFileSync(file, 'utf8'),
  ) => legacyToCanonical(source, file, new ModuleResolver(parseManifest(manifest), { root }));

  it('one line per statement names all its names; the report counts the lines', () => {
    const source = lines(IMPORT, 'export const ops = [catchError, filter, mergeMap, tap];');
    const { root, file } = project(source, '7.1.0');
    const result = run(RXJS, root, file);
    expect(result.output).toBe(
      lines(
        '// unified-ws(RX001): catchError, filter, mergeMap and tap need rxjs@>=7.2.0 (installed: 7.1.0); left as they are',
        IMPORT,
        'export const ops = [catchError, filter, mergeMap, tap];',
      ),
    );
    expect(result.markers).toEqual([
      {
        code: 'RX001',
        line: 1,
        reason:
          'catchError, filter, mergeMap and tap need rxjs@>=7.2.0 (installed: 7.1.0); left as they are',
        detail: "the same name from 'rxjs' once rxjs@>=7.2.0 is installed (installed: 7.1.0)",
      },
    ]);
    expect(result.markers).toHaveLength(markerLines(result.output).length);
  });

  it('names as many as fit in 160 characters, then how many more', () => {
    const names = Array.from({ length: 30 }, (_, i) => `operatorNumber${i}`);
    const source = lines(
      `import { ${names.join(', ')} } from 'rxjs/operators';`,
      `export const ops = [${names.join(', ')}];`,
    );
    const { root, file } = project(source);
    const result = run(RXJS, root, file);
    const [marker] = markerLines(result.output);
    expect(marker!.length).toBeLessThanOrEqual(160);
    expect(marker).toMatch(
      /^\/\/ unified-ws\(RX001\): operatorNumber0, operatorNumber1, (?:operatorNumber\d+, )*operatorNumber\d+ and \d+ more need rxjs@>=7\.2\.0 \(installed: none\); left as they are$/,
    );
    const shown = marker!.match(/operatorNumber\d+/g)!.length;
    expect(marker).toContain(` and ${30 - shown} more `);
    expect(result.markers).toHaveLength(1);
    expect(result.markers[0]!.reason).toContain('operatorNumber29');
  });

  it('a later run removes a stale marker once the condition holds, and re-marks in place', () => {
    const source = lines(IMPORT, 'export const ops = [catchError, filter, mergeMap, tap];');
    const { root, file } = project(source, '7.0.0');
    const first = run(RXJS, root, file);
    writeFileSync(file, first.output);
    // Nothing changed: a re-run changes nothing, never a second marker.
    expect(run(RXJS, root, file).output).toBe(first.output);
    // Another version, still too old: the marker is replaced, not duplicated.
    install(root, '7.1.0');
    const second = run(RXJS, root, file);
    expect(markerLines(second.output)).toEqual([
      '// unified-ws(RX001): catchError, filter, mergeMap and tap need rxjs@>=7.2.0 (installed: 7.1.0); left as they are',
    ]);
    writeFileSync(file, second.output);
    // rxjs 7.2 installed: the import moves and its marker goes.
    install(root, '7.2.0');
    const third = run(RXJS, root, file);
    expect(third.output).toBe(
      lines(
        "import { catchError, filter, mergeMap, tap } from 'rxjs';",
        'export const ops = [catchError, filter, mergeMap, tap];',
      ),
    );
    expect(third.markers).toEqual([]);
  });

  it('goes above an eslint-disable-next-line or @ts-expect-error that applies to the statement', () => {
    const source = lines(
      '// the operators',
      '// eslint-disable-next-line no-restricted-imports',
      IMPORT,
      'export const ops = [catchError, filter, mergeMap, tap];',
    );
    const { root, file } = project(source);
    const output = run(RXJS, root, file).output;
    expect(output.split('\n').slice(0, 4)).toEqual([
      '// the operators',
      '// unified-ws(RX001): catchError, filter, mergeMap and tap need rxjs@>=7.2.0 (installed: none); left as they are',
      '// eslint-disable-next-line no-restricted-imports',
      IMPORT,
    ]);
    writeFileSync(file, output);
    expect(run(RXJS, root, file).output).toBe(output);
  });

  describe('link to the manifest’s docs, never to a file the repository does not have', () => {
    const source = lines(IMPORT, 'export const ops = [catchError, filter, mergeMap, tap];');
    const tail = (manifest: unknown) => {
      const { root, file } = project(source);
      return / left as they are(.*)$/m.exec(run(manifest, root, file).output)?.[1];
    };

    it('a docs base: the entry’s anchor in it', () => {
      expect(tail({ ...RXJS, docs: 'docs/migrations.md' })).toBe('; see docs/migrations.md#rx001');
      expect(
        tail({
          ...RXJS,
          docs: 'https://example.com/handbook/rxjs',
          entries: [{ ...RXJS.entries[0], docs: 'operators' }],
        }),
      ).toBe('; see https://example.com/handbook/rxjs#operators');
    });

    it('no docs base: the manifest file it was read from, or nothing', () => {
      const { root, file } = project(source);
      writeFileSync(join(root, 'rxjs-manifest.json'), JSON.stringify(RXJS));
      const resolver = resolverFor({ manifest: join(root, 'rxjs-manifest.json'), root });
      const output = legacyToCanonical(source, file, resolver).output;
      expect(markerLines(output)[0]).toMatch(/left as they are; see rxjs-manifest\.json$/);
      expect(tail(RXJS)).toBe('');
    });

    it("a manifest outside the repository: not named (its path is this machine's)", () => {
      const { root, file } = project(source);
      const outside = tempProject(defer, { 'rxjs-manifest.json': JSON.stringify(RXJS) });
      const resolver = resolverFor({ manifest: join(outside, 'rxjs-manifest.json'), root });
      const line = markerLines(legacyToCanonical(source, file, resolver).output)[0];
      expect(line).toMatch(/left as they are$/);
      expect(line).not.toContain(outside);
    });
  });
});
