// bench/shim-overhead: a call through each kind of shim against its canonical call, in one
// process, with call-site sampling and the JSON-lines sink on. Prints ns per call and ratios.
// Targets: <= 1.2x on the forUser(ctx).send(...) path; the counted hot path within about 3x a
// plain Map increment. Bounded: a fixed number of calls per round. Run: npm run bench:shim-overhead
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureDeprecations,
  deprecationCounter,
  disableJsonLinesTelemetry,
  enableJsonLinesTelemetry,
} from '../src/deprecation/index';
import { SAMPLE_EVERY, SAMPLE_FIRST } from '../src/deprecation/runtime';
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { MemoryDeliveryAdapter } from '../src/scale/memory-adapter';

const ROUNDS = 9;

/**
 * Median ns per call of each variant over ROUNDS rounds of `calls` calls, the variants taking
 * turns within each round so that GC and CPU frequency drift hit them alike; a warm-up round first.
 */
function measure(
  calls: number,
  variants: Record<string, (i: number) => void>,
): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(variants).map((name) => [name, []]),
  );
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(variants)) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) fn(i);
      if (round >= 0) samples[name]?.push(Number(process.hrtime.bigint() - started) / calls);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number,
    ]),
  );
}

function row(name: string, ns: number, baseline?: number, target?: string): void {
  const ratio = baseline === undefined ? '' : `${(ns / baseline).toFixed(2)}x`;
  console.log(
    `  ${name.padEnd(58)} ${ns.toFixed(1).padStart(8)} ns  ${ratio.padStart(6)}  ${target ?? ''}`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'uws-bench-'));
  configureDeprecations({ policy: 'silent' });
  enableJsonLinesTelemetry({ path: join(dir, 'telemetry.jsonl'), intervalMs: 100 });
  // History of 1 keeps both paths from measuring the garbage collector of a growing history.
  const manager = new WebSocketManager({
    authenticate: devAuthenticate,
    adapter: new MemoryDeliveryAdapter({ historySize: 1 }),
  });
  await manager.ready();
  // Loaded after configureDeprecations: importing a shim is a use, and would display.
  const { UnifiedWebSocketManager } =
    require('../shims/websocket-core/unified-manager') as typeof import('../shims/websocket-core/unified-manager');
  const { WebSocketManagerFactory } =
    require('../shims/websocket-core/websocket-manager-factory') as typeof import('../shims/websocket-core/websocket-manager-factory');
  const { LegacyWebSocketManagerAdapter } =
    require('../shims/websocket-core/protocols') as typeof import('../shims/websocket-core/protocols');
  const ctx = { userId: 'bench-user', runId: 'r' };
  const payload = { text: 'hello' };
  const adapter = new LegacyWebSocketManagerAdapter();
  const sameObject = manager as InstanceType<typeof UnifiedWebSocketManager>;
  console.log(
    `shim overhead, node ${process.version}, JSON-lines sink on, call sites sampled (first ${SAMPLE_FIRST}, then 1 in ${SAMPLE_EVERY})\n`,
  );

  console.log('send path (ns per send)');
  const send = measure(100_000, {
    canonical: () => void manager.forUser(ctx).send('note', payload),
    factory: () => void WebSocketManagerFactory.createManager(ctx).send('note', payload),
    adapter: () => adapter.sendToUser('bench-user', { type: 'note', text: 'hello' }),
    sameObject: () => void sameObject.forUser(ctx).send('note', payload),
  });
  row('canonical manager.forUser(ctx).send()', send.canonical as number);
  row(
    'UWS004 WebSocketManagerFactory.createManager(ctx).send()',
    send.factory as number,
    send.canonical,
    '(target <= 1.2x)',
  );
  row('UWS005 LegacyWebSocketManagerAdapter.sendToUser()', send.adapter as number, send.canonical);
  row(
    'UWS001 UnifiedWebSocketManager (the same object)',
    send.sameObject as number,
    send.canonical,
  );

  console.log('\ncounted hot path (ns per use)');
  const map = new Map<string, number>();
  const use = deprecationCounter('UWS004');
  const counter = measure(2_000_000, {
    map: () => map.set('UWS004', (map.get('UWS004') ?? 0) + 1),
    counted: () => use(),
  });
  row('plain Map increment', counter.map as number);
  row(
    'deprecation counter (sampling + JSON-lines sink on)',
    counter.counted as number,
    counter.map,
    '(target about <= 3x)',
  );

  disableJsonLinesTelemetry();
  await manager.close();
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
