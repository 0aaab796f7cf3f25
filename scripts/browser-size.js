#!/usr/bin/env node
// The size of the browser build of unified-ws/client, as a page loads it: every file reachable by
// import from dist/browser/client/index.js (source maps aside), in bytes and gzipped (level 9,
// each file on its own, as a server sends them one by one). Run after `npm run build`:
//   node scripts/browser-size.js           prints the figure
//   node scripts/browser-size.js --write   also puts it in README.md, between its markers
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');
const { gzipSync } = require('node:zlib');

const ROOT = resolve(__dirname, '..');
const ENTRY = join(ROOT, 'dist', 'browser', 'client', 'index.js');
const README = join(ROOT, 'README.md');
const BEGIN = '<!-- browser-size:begin -->';
const END = '<!-- browser-size:end -->';

/** Static and dynamic import specifiers of an ES module emitted by tsc. */
function specifiers(code) {
  const found = [];
  for (const match of code.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*(["'])([^"']+)\1/g))
    found.push(match[2]);
  for (const match of code.matchAll(/\bimport\s*(?:\(\s*)?(["'])([^"']+)\1/g)) found.push(match[2]);
  return found;
}

/** Every module the entry loads, with its bytes and gzipped bytes; throws on a bare specifier. */
function measure(entry = ENTRY) {
  const files = [];
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    files.push({
      file: relative(ROOT, file).replace(/\\/g, '/'),
      bytes: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
    });
    for (const specifier of specifiers(code.toString('utf8'))) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../'))
        throw new Error(`${relative(ROOT, file)} imports "${specifier}": not a relative file`);
      queue.push(resolve(dirname(file), specifier));
    }
  }
  const sum = (key) => files.reduce((total, f) => total + f[key], 0);
  return { files, bytes: sum('bytes'), gzip: sum('gzip') };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The sentence README.md carries. */
function sentence({ files, bytes, gzip }) {
  return (
    `The browser build is ${files.length} ES modules, unminified: ${bytes.toLocaleString('en-US')} bytes ` +
    `(${kib(bytes)}), ${gzip.toLocaleString('en-US')} bytes gzipped (${kib(gzip)}; each file ` +
    `on its own, as a server sends them), measured by \`node scripts/browser-size.js\`.`
  );
}

/** README.md with the sentence between the markers. */
function withFigure(readme, text) {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`README.md has no ${BEGIN} … ${END} markers`);
  // The blank line after the opening marker is the one prettier keeps there.
  return `${readme.slice(0, begin + BEGIN.length)}\n\n${text}\n${readme.slice(end)}`;
}

module.exports = { measure, sentence, specifiers, BEGIN, END };

if (require.main === module) {
  const result = measure();
  for (const { file, bytes, gzip } of result.files)
    process.stdout.write(`${String(bytes).padStart(7)} ${String(gzip).padStart(7)}  ${file}\n`);
  process.stdout.write(`${sentence(result)}\n`);
  if (process.argv.includes('--write')) {
    writeFileSync(README, withFigure(readFileSync(README, 'utf8'), sentence(result)));
    process.stdout.write('README.md updated\n');
  }
}
