import type { Declaration, File, Statement } from '@babel/types';
import { applyEdits, type TextEdit } from './edits';
import { parseSource, ParseFailure } from './parse';

// Every rewrite is parsed again before it is written: what does not parse is a bug, reported, and
// the file is left as it was. The edits touch a few statements; the rest cannot fail to parse, yet
// parsing them is most of the cost (in a fresh process, most of a migration's). So the check parses
// the rewrite with each untouched top-level statement cut to what can clash with an edit: the
// names it declares at module scope, with their kind (an import may not redeclare them) and its
// export names (an export may not repeat one). A function or class keeps its head and loses its
// body, a variable keeps its pattern and gets `0` as its value, a statement that declares nothing
// becomes `;`. A failure there is confirmed on the whole output, for its true position.

type Range = { start?: number | null; end?: number | null };
const span = (node: Range) => ({ start: node.start ?? 0, end: node.end ?? 0 });

/** The edits that cut one untouched declaration to its skeleton. */
function skeletonOfDeclaration(declaration: Declaration): TextEdit[] {
  switch (declaration.type) {
    case 'FunctionDeclaration':
    case 'ClassDeclaration': {
      const body = span(declaration.body);
      return body.end - body.start > 2
        ? [{ start: body.start + 1, end: body.end - 1, text: '' }]
        : [];
    }
    case 'VariableDeclaration':
      return declaration.declarations.flatMap((declarator) =>
        declarator.init ? [{ ...span(declarator.init), text: '0' }] : [],
      );
    default:
      // Types, enums, namespaces, `declare` forms, imports: kept whole (short, or they hold imports).
      return [];
  }
}

/** The edits that cut one untouched top-level statement to its skeleton. */
function skeletonOf(statement: Statement, source: string): TextEdit[] {
  switch (statement.type) {
    case 'ExportNamedDeclaration':
      return statement.declaration ? skeletonOfDeclaration(statement.declaration) : [];
    case 'ExportDefaultDeclaration': {
      const declaration = statement.declaration;
      if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration')
        return skeletonOfDeclaration(declaration);
      if (declaration.type.startsWith('TS')) return [];
      return [{ ...span(declaration), text: '0' }];
    }
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'VariableDeclaration':
      return skeletonOfDeclaration(statement);
    case 'ExpressionStatement':
    case 'IfStatement':
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'BlockStatement':
    case 'TryStatement':
    case 'SwitchStatement':
    case 'LabeledStatement': {
      // A `var` anywhere in it declares at module scope: such a statement is kept whole.
      const range = span(statement);
      return /\bvar\b/.test(source.slice(range.start, range.end)) ? [] : [{ ...range, text: ';' }];
    }
    default:
      return [];
  }
}

/**
 * Why `applyEdits(source, edits)` does not parse, or undefined when it does. `ast` is the parse of
 * `source`.
 */
export function rewriteParseFailure(
  source: string,
  ast: File,
  edits: readonly TextEdit[],
  filePath: string,
): ParseFailure | undefined {
  const touched = (start: number, end: number) =>
    edits.some((edit) => edit.start < end && edit.end > start);
  const skeleton: TextEdit[] = [];
  for (const statement of ast.program.body) {
    const range = span(statement);
    // An edit at a statement's edge (a line inserted before it) leaves it untouched.
    if (!touched(range.start, range.end)) skeleton.push(...skeletonOf(statement, source));
  }
  try {
    parseSource(applyEdits(source, [...edits, ...skeleton]), filePath);
    return undefined;
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
  }
  try {
    parseSource(applyEdits(source, edits), filePath);
    return undefined;
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    return error;
  }
}
