import { applyEdits, type TextEdit } from '../../src/migration/codemod/edits';
import { rewriteParseFailure } from '../../src/migration/codemod/check-parse';
import { parseSource, ParseFailure } from '../../src/migration/codemod/parse';

// The check that stands between a rewrite and the disk parses the rewrite with the untouched
// statements cut to their skeletons. It must refuse exactly what a whole parse refuses.

const TS_SOURCE = [
  "import { keep } from 'somewhere';",
  "import { old } from 'legacy';",
  'export function handler(a: number): number {',
  '  const inner = a * 2;',
  '  return inner + keep;',
  '}',
  'export class Service {',
  '  run(): void {}',
  '}',
  "const settings = { retries: 3, label: 'x' } as const;",
  'if (settings.retries > 1) {',
  '  var hoisted = settings.label;',
  '}',
  'for (const n of [1, 2]) console.log(n, old);',
  'export default { handler };',
  '',
].join('\n');
// The same module in JavaScript, where Babel also refuses a redeclared binding or export (with
// TypeScript it leaves those to the type checker).
const JS_SOURCE = TS_SOURCE.replace(/: (number|void)/g, '').replace(' as const', '');
const SOURCES = { 'file.ts': TS_SOURCE, 'file.js': JS_SOURCE } as const;
type FileName = keyof typeof SOURCES;

/** Edits of a source, made once its text is known. */
type MakeEdits = (source: string) => TextEdit[];

/** An edit that replaces the legacy import line with `text`. */
const replaceImport =
  (text: string): MakeEdits =>
  (source) => {
    const start = source.indexOf('import { old }');
    return [{ start, end: source.indexOf('\n', start), text }];
  };

/** An edit of `length` characters from where `anchor` starts. */
const replaceAt =
  (anchor: string, length: number, text: string): MakeEdits =>
  (source) => {
    const start = source.indexOf(anchor);
    return [{ start, end: start + length, text }];
  };

function wholeParseFailure(file: FileName, edits: TextEdit[]): ParseFailure | undefined {
  try {
    parseSource(applyEdits(SOURCES[file], edits), file);
    return undefined;
  } catch (error) {
    return error as ParseFailure;
  }
}

describe('the parse check of a rewrite', () => {
  // [what the edit does, the edits, whether the .ts rewrite parses, whether the .js one does]
  const cases: [string, MakeEdits, boolean, boolean][] = [
    ['a retargeted import', replaceImport("import { old } from 'canonical';"), true, true],
    ['a renamed import', replaceImport("import { fresh as old } from 'canonical';"), true, true],
    ['a removed import', replaceImport(''), true, true],
    ['a broken import list', replaceImport("import { old, } } from 'canonical';"), false, false],
    [
      'an import redeclaring a function',
      replaceImport("import { handler } from 'c';"),
      true,
      false,
    ],
    ['an import redeclaring a class', replaceImport("import { Service } from 'c';"), true, false],
    [
      'an import redeclaring a constant',
      replaceImport("import { settings } from 'c';"),
      true,
      false,
    ],
    [
      'an import redeclaring a block var',
      replaceImport("import { hoisted } from 'c';"),
      true,
      false,
    ],
    ['an import repeating another', replaceImport("import { keep } from 'c';"), false, false],
    [
      'an export repeating a function',
      replaceImport("export { x as handler } from 'c';"),
      true,
      false,
    ],
    ['a second default export', replaceImport("export { y as default } from 'c';"), true, false],
    ['a marker line before a statement', replaceAt('export class', 0, '// a marker\n'), true, true],
    ['a broken function body', replaceAt('a * 2', 5, 'a * (2'), false, false],
  ];

  it.each(cases)('%s: refused exactly when a whole parse refuses it', (_name, make, ts, js) => {
    for (const [file, parses] of [
      ['file.ts', ts],
      ['file.js', js],
    ] as const) {
      const source = SOURCES[file];
      const edits = make(source);
      const whole = wholeParseFailure(file, edits);
      expect(whole === undefined).toBe(parses);
      const failure = rewriteParseFailure(source, parseSource(source, file), edits, file);
      expect(failure === undefined).toBe(parses);
      // A refusal carries the whole output's position, as a whole parse gives it.
      if (failure && whole)
        expect([failure.line, failure.column]).toEqual([whole.line, whole.column]);
    }
  });
});
