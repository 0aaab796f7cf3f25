#!/usr/bin/env node
// Builds the browser ES modules of unified-ws/client into dist/browser (npm run build runs it after
// the CommonJS build): tsc with tsconfig.browser.json — src/client/index.ts and what it imports,
// type-checked without Node's types — plus one transformer. A browser resolves `./x` as a URL,
// not as a file with an extension to guess, so every relative specifier in the output gets the
// `.js` of the file TypeScript resolved it to (`/index.js` for a directory). The sources keep
// writing imports as the rest of the code base does. Any other specifier (a package, a `node:`
// module) fails the build: the page loads these files one by one, with no bundler to resolve it.
'use strict';

const { mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const ts = require('typescript');

const ROOT = resolve(__dirname, '..');

/** `to` (a source file) as a specifier relative to `fromFile`, naming the emitted .js file. */
function specifierFor(fromFile, to) {
  const path = relative(dirname(fromFile), to)
    .replace(/\\/g, '/')
    .replace(/\.(d\.)?ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The build's TypeScript options, or the config's diagnostics. */
function readConfig(configPath, outDir) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    outDir === undefined ? {} : { outDir },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  return parsed;
}

/**
 * Emits the browser build. Returns the problems (type errors, and specifiers a browser cannot
 * load); an empty list means dist/browser (or `outDir`) holds the build.
 */
function buildBrowser({ configPath = join(ROOT, 'tsconfig.browser.json'), outDir } = {}) {
  const config = readConfig(configPath, outDir);
  const options = config.options;
  const program = ts.createProgram({ rootNames: config.fileNames, options });
  const problems = [];

  const rewrite = (sourceFile, specifier) => {
    if (!ts.isStringLiteral(specifier)) return specifier;
    const text = specifier.text;
    const where = relative(ROOT, sourceFile.fileName);
    if (!text.startsWith('./') && !text.startsWith('../')) {
      problems.push(`${where}: imports "${text}", which a browser cannot load without a bundler`);
      return specifier;
    }
    const resolved = ts.resolveModuleName(
      text,
      sourceFile.fileName,
      options,
      ts.sys,
    ).resolvedModule;
    if (!resolved) {
      problems.push(`${where}: cannot resolve "${text}"`);
      return specifier;
    }
    return ts.factory.createStringLiteral(
      specifierFor(sourceFile.fileName, resolved.resolvedFileName),
    );
  };

  /** Adds `.js` to the specifier of every import, re-export and import() that survived emit. */
  const addExtensions = (context) => (sourceFile) => {
    const original = ts.getOriginalNode(sourceFile, ts.isSourceFile) ?? sourceFile;
    const visit = (node) => {
      if (ts.isImportDeclaration(node))
        return ts.factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          rewrite(original, node.moduleSpecifier),
          node.attributes,
        );
      if (ts.isExportDeclaration(node) && node.moduleSpecifier)
        return ts.factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          rewrite(original, node.moduleSpecifier),
          node.attributes,
        );
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0]
      )
        return ts.factory.updateCallExpression(node, node.expression, node.typeArguments, [
          rewrite(original, node.arguments[0]),
          ...node.arguments.slice(1),
        ]);
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(sourceFile, visit, context);
  };

  const diagnostics = ts.getPreEmitDiagnostics(program);
  const host = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => '\n',
  };
  for (const diagnostic of diagnostics) problems.push(ts.formatDiagnostic(diagnostic, host).trim());
  if (problems.length > 0) return problems;

  // A module the client no longer imports must not stay in the package.
  rmSync(options.outDir, { recursive: true, force: true });
  const result = program.emit(undefined, undefined, undefined, false, { after: [addExtensions] });
  for (const diagnostic of result.diagnostics)
    problems.push(ts.formatDiagnostic(diagnostic, host).trim());
  // The files are ES modules: a bundler or Node that reads them through package.json must not
  // take them for CommonJS (the package itself is CommonJS).
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  return problems;
}

module.exports = { buildBrowser };

if (require.main === module) {
  const outIndex = process.argv.indexOf('--out-dir');
  const outDir = outIndex === -1 ? undefined : resolve(process.argv[outIndex + 1] ?? '');
  const problems = buildBrowser(outDir === undefined ? {} : { outDir });
  if (problems.length > 0) {
    process.stderr.write(`browser build failed:\n${problems.join('\n')}\n`);
    process.exitCode = 1;
  }
}
