// bench/history: what replay history costs in memory per user, through MemoryDeliveryAdapter.
// (a) 20,000 users with one ~200-byte envelope each: bytes per user (heap + external) against the
//     frame bytes themselves (target: under 2 KiB per user in all).
// (b) churn: 20,000 distinct users connect to a real WebSocketManager with loopback clients (100
//     at a time), get 1 to 3 small envelopes, and disconnect; their history stays (5-minute TTL).
//     RSS growth against the history bytes held (target: at most 2x).
// Every figure comes from a fresh server process per chunk allocator — the slab only histories
// share (the default), Buffer.allocUnsafe (Node's shared 8 KiB pool) and Buffer.allocUnsafeSlow
// (an ArrayBuffer per chunk) — so that one run's freed memory cannot flatter the next; the clients
// run in this process, so that their memory is not counted. Loopback only, bounded in users and
// time. Run: npm run bench:history
import { fork } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { devAuthenticate } from '../src/manager/auth';
import { WebSocketManager } from '../src/manager/websocket-manager';
import { ChunkSlab, type ChunkAllocator } from '../src/scale/chunk-slab';
import { MemoryDeliveryAdapter } from '../src/scale/memory-adapter';
import { HISTORY_DEFAULTS } from '../src/scale/user-stream';
import { Clients } from './harness';

const USERS = Number(process.env.BENCH_USERS ?? 20_000);
const BATCH = 100;
const FRAME_BYTES = 200;
const CHILD_TIMEOUT_MS = 300_000;
const SETTLE_ROUNDS = 12;

const ALLOCATORS: Record<string, () => ChunkAllocator> = {
  'history slab (default)': () => new ChunkSlab().allocate,
  'Buffer.allocUnsafe (8 KiB pool)': () => (size) => ({
    buffer: Buffer.allocUnsafe(size),
    start: 0,
  }),
  'Buffer.allocUnsafeSlow': () => (size) => ({ buffer: Buffer.allocUnsafeSlow(size), start: 0 }),
};

/** The memory adapter, with the chunk allocator under test. */
class BenchAdapter extends MemoryDeliveryAdapter {
  constructor(allocate: ChunkAllocator) {
    super();
    this.limits = { ...this.limits, allocate };
  }
}

interface Sample {
  heapAndExternal: number;
  rss: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Memory in use: the least RSS over SETTLE_ROUNDS full collections half a second apart, each one
 * compacting the whole heap. After a burst of allocation V8 keeps a grown heap for a few seconds
 * before its memory reducer hands pages back; and without compaction RSS also counts the free
 * space the connections' objects leave in pages that a stream's object keeps alive — space V8
 * reuses and compacts when it needs to (2 to 3 MiB in this churn, which moves from run to run),
 * where a pinned pool slab is never compacted. Compacting at each reading measures what stays.
 */
async function sample(): Promise<Sample> {
  setFlagsFromString('--compact-on-every-full-gc');
  let rss = Infinity;
  let heapAndExternal = 0;
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    global.gc?.();
    await pause(500);
    const usage = process.memoryUsage();
    rss = Math.min(rss, usage.rss);
    heapAndExternal = usage.heapUsed + usage.external;
  }
  setFlagsFromString('--no-compact-on-every-full-gc');
  return { heapAndExternal, rss };
}

const growth = (before: Sample, after: Sample): Sample => ({
  heapAndExternal: after.heapAndExternal - before.heapAndExternal,
  rss: after.rss - before.rss,
});

/** A tick payload whose envelope frame is about FRAME_BYTES long. */
function payload(n: number, userId: string): { t: number; n: number; text: string } {
  const base = { t: 0, n, text: '' };
  const envelope = `{"v":1,"type":"tick","userId":"${userId}","seq":1,"epoch":"123456789012","ts":1700000000000,"payload":${JSON.stringify(base)}}`;
  return { ...base, text: 'x'.repeat(Math.max(0, FRAME_BYTES - envelope.length)) };
}

/**
 * (a): every user gets one envelope; nothing else runs. Heap and external memory only: a burst
 * like this one grows and later shrinks V8's heap by more than the histories hold, so its RSS says
 * little; (b) measures RSS.
 */
async function oneEnvelope(allocate: ChunkAllocator) {
  const adapter = new BenchAdapter(allocate);
  adapter.start(() => undefined);
  const ids = Array.from({ length: USERS }, (_, i) => `user-${i}`);
  const before = await sample();
  for (const [i, userId] of ids.entries())
    adapter.publish(userId, { type: 'tick', payload: payload(i, userId) });
  const grown = growth(before, await sample());
  const memory = adapter.historyMemory();
  await adapter.close();
  return { ...grown, memory };
}

/** What the server process asks of the clients, which live in the parent process. */
type ClientRequest =
  | { cmd: 'connect'; url: string; users: string[] }
  | { cmd: 'wait'; received: number }
  | { cmd: 'close' };

/** Sends a request to the parent and waits for its answer. */
function ask(request: ClientRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    process.once('message', (answer: { error?: string }) =>
      answer.error ? reject(new Error(answer.error)) : resolve(),
    );
    process.send?.(request);
  });
}

/**
 * (b): users come and go through a manager, 100 at a time. In one process: a warm-up, then USERS
 * users whose histories are dropped after each batch — the control: what the connections
 * themselves leave in RSS (socket and ws buffers, allocator arenas) — then USERS other users whose
 * histories stay.
 */
async function churn(allocate: ChunkAllocator) {
  const adapter = new BenchAdapter(allocate);
  const manager = new WebSocketManager({
    port: 0,
    host: '127.0.0.1',
    register: false,
    authenticate: devAuthenticate,
    adapter,
    // All clients come from 127.0.0.1; a batch may connect before the last one's closes are seen.
    maxConnectionsPerAddress: 10 * BATCH,
  });
  await manager.ready();
  const url = `ws://127.0.0.1:${manager.address().port}/ws`;
  let sent = 0;
  const batch = async (from: number, keep: boolean) => {
    const users = Array.from({ length: BATCH }, (_, i) => `user-${from + i}`);
    await ask({ cmd: 'connect', url, users });
    for (const [i, userId] of users.entries())
      for (let k = 0; k <= (from + i) % 3; k++, sent++)
        void manager.forUser(userId).send('tick', payload(k, userId));
    await ask({ cmd: 'wait', received: sent });
    await ask({ cmd: 'close' });
    if (!keep) adapter.sweep(Date.now() + HISTORY_DEFAULTS.historyTtlMs + 1);
  };
  const phase = async (first: number, keep: boolean) => {
    for (let from = first; from < first + USERS; from += BATCH) await batch(from, keep);
  };
  await phase(-USERS, false); // warm-up: JIT, socket and ws buffers, allocator arenas
  const start = await sample();
  await phase(USERS, false);
  const dropped = await sample();
  await phase(2 * USERS, true);
  const kept = await sample();
  const memory = adapter.historyMemory();
  await manager.close();
  return { control: growth(start, dropped), kept: growth(dropped, kept), memory };
}

const SCENARIOS = { one: oneEnvelope, churn };
type Scenario = keyof typeof SCENARIOS;
type Result<S extends Scenario> = Awaited<ReturnType<(typeof SCENARIOS)[S]>>;

/** Answers one request of the server process with the loopback clients of this one. */
async function serve(clients: Clients, request: ClientRequest): Promise<void> {
  switch (request.cmd) {
    case 'connect':
      return clients.connect(request.url, request.users);
    case 'wait': {
      const deadline = Date.now() + 10_000;
      while (clients.received < request.received && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 2));
      if (clients.received < request.received) throw new Error('envelopes not delivered in time');
      return;
    }
    case 'close':
      return clients.close();
  }
}

/** Runs a scenario in a fresh server process, serving its client requests from this one. */
async function runChild<S extends Scenario>(scenario: S, allocator: string): Promise<Result<S>> {
  const clients = new Clients();
  const child = fork(__filename, ['--child', scenario, allocator], {
    execArgv: ['--expose-gc'],
    timeout: CHILD_TIMEOUT_MS,
  });
  try {
    return await new Promise<Result<S>>((resolve, reject) => {
      child.on('message', (message: { result: Result<S> } | ClientRequest) => {
        if ('result' in message) return resolve(message.result);
        serve(clients, message).then(
          () => child.send({}),
          (error: unknown) => child.send({ error: String(error) }),
        );
      });
      child.on('exit', (code, signal) =>
        reject(new Error(`bench/history ${scenario} child ended (${code ?? signal})`)),
      );
    });
  } finally {
    child.kill();
    await clients.terminate();
  }
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
const bytes = (n: number) => `${Math.round(n).toLocaleString('en-US')} B`;
const times = (n: number) => `${n.toFixed(2)}x`;

async function main(): Promise<void> {
  const users = USERS.toLocaleString('en-US');
  console.log(`replay history memory, ${users} users, node ${process.version}`);
  console.log(
    'each row from its own server process (--expose-gc), per allocator of history chunks\n',
  );

  console.log(
    `(a) one ~${FRAME_BYTES}-byte envelope per user: bytes per user (target < 2 KiB in all)`,
  );
  console.log('                                    frame     chunks  heap+external');
  for (const name of Object.keys(ALLOCATORS)) {
    const r = await runChild('one', name);
    const per = (n: number, width: number) => bytes(n / USERS).padStart(width);
    console.log(
      `  ${name.padEnd(32)} ${per(r.memory.frameBytes, 7)} ${per(r.memory.retainedBytes, 10)} ${per(r.heapAndExternal, 14)}`,
    );
  }

  console.log(
    `\n(b) churn through WebSocketManager, 1-3 envelopes per user: growth while ${users} users come and go`,
  );
  console.log(
    `    and their histories stay, against the history bytes held (target: RSS <= 2x the chunks held);`,
  );
  console.log(
    `    control: the growth while ${users} users come and go with their histories dropped`,
  );
  console.log(
    '                                  frames held  chunks held    RSS  control   RSS/chunks  RSS/frames  heap+ext/chunks',
  );
  for (const name of Object.keys(ALLOCATORS)) {
    const r = await runChild('churn', name);
    const { frameBytes, retainedBytes } = r.memory;
    console.log(
      `  ${name.padEnd(32)} ${mib(frameBytes).padStart(11)} ${mib(retainedBytes).padStart(12)} ${mib(r.kept.rss).padStart(8)} ${mib(r.control.rss).padStart(8)} ${times(r.kept.rss / retainedBytes).padStart(12)} ${times(r.kept.rss / frameBytes).padStart(11)} ${times(r.kept.heapAndExternal / retainedBytes).padStart(16)}`,
    );
  }
}

async function child(scenario: Scenario, allocator: string): Promise<void> {
  const make = ALLOCATORS[allocator];
  if (!make) throw new Error(`unknown allocator ${allocator}`);
  const result = await SCENARIOS[scenario](make());
  // Exit only once the parent has the result: a message still queued would be lost.
  await new Promise((resolve) => process.send?.({ result }, resolve));
}

const [flag, scenario, allocator] = process.argv.slice(2);
const run = flag === '--child' ? child(scenario as Scenario, allocator as string) : main();
if (!global.gc) console.warn('run with --expose-gc (npm run bench:history does)');
run.then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
