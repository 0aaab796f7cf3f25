// The naive baseline of bench/codemod: a jscodeshift transform over every file, parsing each
// with recast and reprinting what it touches, for the legacy forms of bench/corpus.ts.
// The marker comments come from bench/codemod (computed by the unified-ws codemod itself) so
// that the three tools can be compared byte for byte.
const { readFileSync } = require('node:fs');

let markers;

module.exports = function transformer(file, api, options) {
  markers ??= JSON.parse(readFileSync(options.markers, 'utf8'));
  const j = api.jscodeshift;
  const root = j(file.source);
  let changed = false;
  const mark = (path, code) => {
    path.node.comments = [j.commentLine(markers[code].slice(2))];
    changed = true;
  };
  root.find(j.ImportDeclaration).forEach((path) => {
    const source = path.node.source.value;
    if (source === 'unified-ws/websocket-core/websocket-manager-factory') {
      path.node.source = j.literal('unified-ws');
      path.node.specifiers = [j.importSpecifier(j.identifier('getWebSocketManager'))];
      changed = true;
    } else if (source === 'unified-ws/websocket-core/unified-manager') {
      path.node.source = j.literal('unified-ws');
      path.node.specifiers = path.node.specifiers.map((s) =>
        j.importSpecifier(j.identifier('WebSocketManager'), j.identifier(s.local.name)),
      );
      changed = true;
    } else if (
      source === 'unified-ws/websocket-core/protocols' &&
      path.node.importKind === 'type'
    ) {
      path.node.source = j.literal('unified-ws');
      path.node.specifiers = [
        j.importSpecifier(
          j.identifier('WebSocketManager'),
          j.identifier('WebSocketManagerProtocol'),
        ),
      ];
      changed = true;
    } else if (source === 'unified-ws/websocket-core/manager') {
      mark(path, 'UWS003');
    }
  });
  root
    .find(j.CallExpression, {
      callee: { object: { name: 'WebSocketManagerFactory' }, property: { name: 'createManager' } },
    })
    .forEach((path) => {
      path.node.callee = j.memberExpression(
        j.callExpression(j.identifier('getWebSocketManager'), []),
        j.identifier('forUser'),
      );
      changed = true;
    });
  root.find(j.VariableDeclaration).forEach((path) => {
    const init = path.node.declarations[0] && path.node.declarations[0].init;
    if (
      init &&
      init.type === 'CallExpression' &&
      init.callee.name === 'require' &&
      init.arguments[0] &&
      init.arguments[0].value === 'unified-ws/websocket-core/protocols'
    )
      mark(path, 'UWS005');
  });
  root.find(j.ExportNamedDeclaration).forEach((path) => {
    if (
      path.node.source &&
      path.node.source.value === 'unified-ws/agents/supervisor/agent-registry'
    )
      mark(path, 'UWS006');
  });
  root.find(j.CallExpression, { callee: { type: 'Import' } }).forEach((path) => {
    if (path.node.arguments[0].value === 'unified-ws/websocket-core/websocket-manager') {
      path.node.arguments = [j.literal('unified-ws')];
      changed = true;
    }
  });
  return changed ? root.toSource({ quote: 'single' }) : undefined;
};
