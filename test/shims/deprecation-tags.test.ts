import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { MANIFEST } from '../../src/manifest/builtin';

const ROOT = join(__dirname, '..', '..');

/** A language service over one in-memory file inside the package, resolving `unified-ws/*` itself. */
function service(options: ts.CompilerOptions, fileName: string, text: string): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [fileName],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const content = name === fileName ? text : ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => ROOT,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (name) => name === fileName || ts.sys.fileExists(name),
    readFile: (name) => (name === fileName ? text : ts.sys.readFile(name)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host);
}

const RESOLUTIONS: [string, ts.CompilerOptions][] = [
  [
    'node16',
    {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      strict: true,
      skipLibCheck: true,
      types: [],
    },
  ],
  [
    'bundler',
    {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      skipLibCheck: true,
      types: [],
    },
  ],
];

const USES = MANIFEST.entries.flatMap((entry) =>
  entry.exports.map((legacy) => ({ entry, legacy })),
);

describe('@deprecated on every legacy export, as an editor sees it', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'shims')))
      throw new Error('dist/shims is missing: run "npm run build" (npm test does it first)');
  });

  describe.each(RESOLUTIONS)('with %s resolution', (_name, options) => {
    it.each(
      USES.map(({ entry, legacy }) => [`${entry.code} ${legacy.name}`, entry, legacy] as const),
    )('%s is struck through', (_label, entry, legacy) => {
      const specifier = `unified-ws/${entry.module}`;
      const text = legacy.typeOnly
        ? `import type { ${legacy.name} } from '${specifier}';\nexport let value: ${legacy.name} | undefined;\n`
        : `import { ${legacy.name} } from '${specifier}';\nexport const value = ${legacy.name};\n`;
      const fileName = join(ROOT, 'test', 'shims', `consumer-${entry.code}-${legacy.name}.ts`);
      const languageService = service(options, fileName, text);
      const errors = languageService
        .getSemanticDiagnostics(fileName)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errors).toEqual([]);
      const deprecated = languageService
        .getSuggestionDiagnostics(fileName)
        .filter((d) => d.reportsDeprecated)
        .map((d) => text.slice(d.start, (d.start ?? 0) + (d.length ?? 0)));
      expect(deprecated).toContain(legacy.name);
    });

    it('leaves the canonical imports alone', () => {
      const text =
        "import { WebSocketManager, getWebSocketManager, type UserContext } from 'unified-ws';\nexport const value: [unknown, unknown, UserContext | undefined] = [WebSocketManager, getWebSocketManager, undefined];\n";
      const fileName = join(ROOT, 'test', 'shims', 'consumer-canonical.ts');
      const languageService = service(options, fileName, text);
      expect(languageService.getSemanticDiagnostics(fileName)).toEqual([]);
      expect(
        languageService.getSuggestionDiagnostics(fileName).filter((d) => d.reportsDeprecated),
      ).toEqual([]);
    });
  });
});
