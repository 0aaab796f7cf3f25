import { join } from 'node:path';
import { legacyToCanonical } from '../../src/migration/codemod/legacy-to-canonical';
import { ModuleResolver } from '../../src/migration/codemod/module-resolver';
import { parseManifest } from '../../src/manifest/from-json';
import { tempProject, useCleanup } from '../helpers';

/** A manifest declaring src/util.ts legacy, mapping the given names to the same name in `rxjs`. */
function manifestMapping(names: { name: string; typeOnly?: boolean }[]) {
  return parseManifest({
    package: '@acme/app',
    canonical: 'rxjs',
    entries: [
      {
        code: 'ACME001',
        files: ['src/util.ts'],
        summary: 'Helpers that moved to rxjs.',
        since: '1.0.0',
        removeIn: '2.0.0',
        exports: names.map(({ name, typeOnly }) => ({
          name,
          rewrite: 'same-object',
          canonical: name,
          replacement: `import { ${name} } from 'rxjs'`,
          ...(typeOnly ? { typeOnly } : {}),
        })),
      },
    ],
  });
}

describe('export * of a legacy repository file', () => {
  const defer = useCleanup();

  const project = (files: Record<string, string>) => tempProject(defer, files);

  const util = [
    'export function isObservable(x: unknown): boolean { return !!x; }',
    'export const identity = <T>(x: T) => x;',
    'export interface Shape { kind: string }',
    "export { helper as assist } from './helper';",
    'export default 42;',
    '',
  ].join('\n');
  const index = "// the package's entry\nexport * from './util';\n";

  it('never becomes a subset: names the manifest does not map keep it on its shim, named in a marker', () => {
    const root = project({
      'src/util.ts': util,
      'src/helper.ts': 'export const helper = 1;\n',
      'src/index.ts': index,
    });
    const resolver = new ModuleResolver(manifestMapping([{ name: 'isObservable' }]), { root });
    const result = legacyToCanonical(index, join(root, 'src/index.ts'), resolver);
    expect(result.status).toBe('marker');
    expect(result.output).toBe(
      "// the package's entry\n// unified-ws(ACME001): export * also re-exports identity, Shape, assist, which the manifest does not map; list them by hand\nexport * from './util';\n",
    );
  });

  it('becomes exactly the module’s export list when the manifest maps every name (types as types, no default)', () => {
    const root = project({
      'src/util.ts': util,
      'src/helper.ts': 'export const helper = 1;\n',
      'src/index.ts': index,
    });
    const resolver = new ModuleResolver(
      manifestMapping([
        { name: 'isObservable' },
        { name: 'identity' },
        { name: 'Shape', typeOnly: true },
        { name: 'assist' },
      ]),
      { root },
    );
    const result = legacyToCanonical(index, join(root, 'src/index.ts'), resolver);
    expect(result.output).toBe(
      "// the package's entry\nexport { isObservable, identity, type Shape, assist } from 'rxjs';\n",
    );
  });

  it('keeps a marker when the module re-exports a package whose names cannot be read', () => {
    const root = project({
      'src/util.ts': "export * from 'some-package';\nexport const a = 1;\n",
      'src/index.ts': index,
    });
    const resolver = new ModuleResolver(manifestMapping([{ name: 'a' }]), { root });
    const result = legacyToCanonical(index, join(root, 'src/index.ts'), resolver);
    expect(result.status).toBe('marker');
    expect(result.output).toContain(
      'export * of ./util: its exports cannot all be read; list them by hand',
    );
    expect(result.output).toContain("export * from './util';");
  });
});

describe('export * of a legacy package module', () => {
  const defer = useCleanup();

  it('becomes exactly the list its type declarations in node_modules give, renames applied', () => {
    const root = tempProject(defer, {
      'node_modules/old-lib/package.json': JSON.stringify({
        name: 'old-lib',
        types: 'lib/index.d.ts',
      }),
      'node_modules/old-lib/lib/index.d.ts':
        "export declare function a(): void;\nexport declare const oldName: number;\nexport * from './more';\n",
      'node_modules/old-lib/lib/more.d.ts': 'export interface Shape {\n  kind: string;\n}\n',
      'src/index.ts': "export * from 'old-lib';\n",
    });
    const manifest = parseManifest({
      package: 'old-lib',
      canonical: 'new-lib',
      entries: [
        {
          code: 'LIB001',
          summary: 'old-lib is new-lib now.',
          since: '1.0.0',
          removeIn: '2.0.0',
          exports: [
            { name: '*', rewrite: 'same-object' },
            { name: 'oldName', rewrite: 'rename', canonical: 'newName', replacement: 'newName' },
          ],
        },
      ],
    });
    const file = join(root, 'src/index.ts');
    const result = legacyToCanonical(
      "export * from 'old-lib';\n",
      file,
      new ModuleResolver(manifest, { root }),
    );
    expect(result.output).toBe("export { a, newName as oldName, type Shape } from 'new-lib';\n");
  });
});
