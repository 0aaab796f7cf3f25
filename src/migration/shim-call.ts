import type { ImportDeclaration, ObjectExpression, Statement } from '@babel/types';

// The deprecatedModule() call of a shim: the runtime it calls, how a file that already makes it is
// recognised, and the entry written as a literal in the file's own style (quotes, semicolons,
// indentation).

/** The package whose deprecation runtime a shim calls. */
export const RUNTIME_PACKAGE = 'unified-ws';
/** The runtime call a shim makes (src/deprecation/index.ts). */
export const RUNTIME_CALL = 'deprecatedModule';

/** The code of a shim's runtime call in a file (`deprecatedModule({ code: 'X', … })`), if any. */
export function runtimeCallCode(body: readonly Statement[]): string | undefined {
  const locals = new Set<string>();
  for (const statement of body)
    if (statement.type === 'ImportDeclaration' && statement.source.value === RUNTIME_PACKAGE)
      for (const s of statement.specifiers)
        if (
          s.type === 'ImportSpecifier' &&
          (s.imported.type === 'Identifier' ? s.imported.name : s.imported.value) === RUNTIME_CALL
        )
          locals.add(s.local.name);
  for (const statement of body) {
    if (statement.type !== 'ExpressionStatement') continue;
    const call = statement.expression;
    if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier') continue;
    if (!locals.has(call.callee.name)) continue;
    const [argument] = call.arguments;
    if (argument?.type !== 'ObjectExpression') continue;
    for (const property of (argument as ObjectExpression).properties)
      if (
        property.type === 'ObjectProperty' &&
        !property.computed &&
        ((property.key.type === 'Identifier' && property.key.name === 'code') ||
          (property.key.type === 'StringLiteral' && property.key.value === 'code')) &&
        property.value.type === 'StringLiteral'
      )
        return property.value.value;
  }
  return undefined;
}

/** The entry without its canonical (the call names it apart). */
export function withoutCanonical<T extends { canonical?: string }>(value: T): Omit<T, 'canonical'> {
  const { canonical: _canonical, ...rest } = value;
  return rest;
}

/** How the file writes: its quotes, whether it ends statements with `;`, its indentation. */
export interface Style {
  quote: "'" | '"';
  semicolons: boolean;
  indent: string;
}

export function styleOf(source: string, body: readonly Statement[]): Style {
  const literal = body.find(
    (s) =>
      (s.type === 'ImportDeclaration' ||
        s.type === 'ExportNamedDeclaration' ||
        s.type === 'ExportAllDeclaration') &&
      s.source,
  ) as ImportDeclaration | undefined;
  const quote = literal ? source[literal.source.start ?? 0] : /['"]/.exec(source)?.[0];
  const statement = body.find(
    (s) =>
      s.type === 'ImportDeclaration' ||
      s.type === 'ExpressionStatement' ||
      s.type === 'VariableDeclaration' ||
      (s.type === 'ExportNamedDeclaration' &&
        (!s.declaration || s.declaration.type === 'VariableDeclaration')),
  );
  const indent = /^([ \t]+)\S/m.exec(source)?.[1];
  return {
    quote: quote === '"' ? '"' : "'",
    semicolons: statement ? source[(statement.end ?? 1) - 1] === ';' : true,
    indent:
      indent === undefined
        ? '  '
        : indent.startsWith('\t')
          ? '\t'
          : indent.length >= 4
            ? '    '
            : '  ',
  };
}

/** A string literal in the file's quotes, or the other ones where that takes fewer escapes. */
export function quoted(value: string, preferred: "'" | '"'): string {
  const other = preferred === "'" ? '"' : "'";
  const count = (q: string) => value.split(q).length - 1;
  const quote = count(preferred) > count(other) ? other : preferred;
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

const LINE_WIDTH = 100;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A JSON value as a literal: on one line where it fits, else one property or item per line. */
export function literal(value: unknown, style: Style, level: number): string {
  if (typeof value === 'string') return quoted(value, style.quote);
  if (typeof value !== 'object' || value === null) return String(value);
  const pad = style.indent.repeat(level + 1);
  const parts: string[] = Array.isArray(value)
    ? value.map((item) => literal(item, style, level + 1))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(
          ([key, v]) =>
            `${IDENTIFIER.test(key) ? key : quoted(key, style.quote)}: ${literal(v, style, level + 1)}`,
        );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }'];
  const inline =
    parts.length === 0
      ? Array.isArray(value)
        ? '[]'
        : '{}'
      : `${open}${parts.join(', ')}${close}`;
  if (level > 0 && !inline.includes('\n') && pad.length + inline.length + 2 <= LINE_WIDTH)
    return inline;
  const [start, end] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${start}\n${parts.map((p) => `${pad}${p},\n`).join('')}${style.indent.repeat(level)}${end}`;
}
