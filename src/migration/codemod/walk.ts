import type { Node } from '@babel/types';

const SKIP = new Set([
  'loc',
  'start',
  'end',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'range',
]);

/**
 * Visits every node depth-first with its ancestors (nearest last). Returning false from `enter`
 * skips the node's children.
 */
export function walk(
  root: Node,
  enter: (node: Node, ancestors: readonly Node[]) => boolean | void,
): void {
  const ancestors: Node[] = [];
  const visit = (node: Node): void => {
    if (enter(node, ancestors) === false) return;
    ancestors.push(node);
    forEachChild(node, (child) => visit(child));
    ancestors.pop();
  };
  visit(root);
}

/** Calls `visit` for each child node of `node` with the key that holds it (positions skipped). */
export function forEachChild(node: Node, visit: (child: Node, key: string) => void): void {
  const record = node as unknown as Record<string, unknown>;
  // The hot loop of every walk: a value's type is checked before the key, since most keys hold
  // numbers, strings or null.
  for (const key in record) {
    const value = record[key];
    if (typeof value !== 'object' || value === null || SKIP.has(key)) continue;
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child)) visit(child, key);
    } else if (isNode(value)) {
      visit(value, key);
    }
  }
}

export function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}
