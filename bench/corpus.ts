// A synthetic consumer repository for bench/codemod: N TypeScript files, a fraction of which
// import legacy entry points in the forms real code uses. Seeded, so every run writes the same tree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The legacy forms the corpus uses, one per candidate file. */
export const LEGACY_SNIPPETS = [
  `import { WebSocketManagerFactory } from 'unified-ws/websocket-core/websocket-manager-factory';\nconst mgr = WebSocketManagerFactory.createManager(ctx);`,
  `import { UnifiedWebSocketManager as UWM } from 'unified-ws/websocket-core/unified-manager';\nlet m: UWM | undefined;`,
  `import * as legacyMgr from 'unified-ws/websocket-core/manager';\nlegacyMgr.getWebSocketManager();`,
  `import type { WebSocketManagerProtocol } from 'unified-ws/websocket-core/protocols';\nexport type P = WebSocketManagerProtocol;`,
  `const { LegacyWebSocketManagerAdapter } = require('unified-ws/websocket-core/protocols');`,
  `export { WebSocketManagerAdapter } from 'unified-ws/agents/supervisor/agent-registry';`,
  `const lazy = () => import('unified-ws/websocket-core/websocket-manager');`,
];

/** Writes `count` files; with `candidates`, exactly that many import a legacy form. */
export function writeCorpus(
  out: string,
  count: number,
  fraction: number,
  seed = 1,
  candidates?: number,
): number {
  let state = seed >>> 0 || 1;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const every = candidates === undefined ? 0 : Math.floor(count / candidates);
  let written = 0;
  for (let i = 0; i < count; i++) {
    const dir = join(out, 'src', `mod${i % 50}`);
    mkdirSync(dir, { recursive: true });
    const head = [
      `import { helper } from '../util/helper${i % 7}';`,
      `import path from 'node:path';`,
    ];
    const legacy =
      candidates === undefined ? random() < fraction : i % every === 0 && written < candidates;
    if (legacy) {
      head.push(pick(LEGACY_SNIPPETS));
      written++;
    }
    const lines: string[] = [];
    const n = 40 + Math.floor(random() * 160);
    for (let k = 0; k < n; k++) {
      lines.push(
        pick([
          `export function f${i}_${k}(a: number, b: string): string { return b.repeat(a % 3) + '${k}'; }`,
          `const v${k} = { id: ${k}, name: 'item-${i}-${k}', tags: ['a', 'b'] as const };`,
          `// note ${k}: websocket handling stays in the service layer`,
          `export class C${i}_${k} { constructor(private readonly x: number) {} get y() { return this.x * 2; } }`,
          `if (Math.random() > 0.5) { console.log('branch ${k}'); }`,
        ]),
      );
    }
    writeFileSync(join(dir, `file${i}.ts`), `${head.join('\n')}\n${lines.join('\n')}\n`);
  }
  return written;
}
