import { ExecutionEngine } from '../../src/agents/execution-engine';
import { ToolDispatcher } from '../../src/agents/tool-dispatcher';
import { nodeWebSocketFactory, UnifiedWsClient } from '../../src/client/node';
import type { Envelope } from '../../src/protocol/envelope';
import { findOrderViolation } from '../../src/protocol/event-order';
import { RedisDeliveryAdapter } from '../../src/scale/redis-adapter';
import { delay, seeded, startManager, useCleanup } from '../helpers';
import { RedisServer } from './redis-server';

interface Tab {
  user: string;
  received: Envelope[];
  firstSeq: number;
  client: UnifiedWsClient;
  /** What happened to the tab (sockets, welcomes, resumes, closes), printed when it fails. */
  log: string[];
  /** Resumes answered `recovered: false`, and gaps the client resumed from: both stay empty. */
  unrecovered: unknown[];
  gaps: unknown[];
}

describe('isolation across nodes (seeded, one redis-server)', () => {
  const defer = useCleanup();

  it.each([3, 11])(
    'seed %i: zero cross-user deliveries and per-user order while users move between nodes',
    async (seed) => {
      // One stream of numbers per concern: the plan (which step, which user) depends on the seed
      // only, never on how the agents' and the clients' own draws interleave with it in time.
      const random = seeded(seed);
      const agentRandom = seeded(seed * 7919 + 1);
      let tabCount = 0;
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const redis = await RedisServer.start();
      defer(() => redis.dispose());
      const nodes: Awaited<ReturnType<typeof startManager>>[] = [];
      for (let i = 0; i < 3; i++)
        nodes.push(
          await startManager(defer, { adapter: new RedisDeliveryAdapter({ url: redis.url }) }),
        );
      const engines = nodes.map(
        ({ manager }) =>
          new ExecutionEngine({
            manager,
            tools: new ToolDispatcher().register('owner', (_input, context) => context.userId),
            agents: {
              scripted: async (context) => {
                for (let i = 0; i < 3; i++) {
                  await context.thinking(`${context.user.userId} step ${i}`);
                  if (agentRandom() < 0.5) {
                    const owner = await context.callTool<string>('owner', {});
                    if (owner !== context.user.userId) throw new Error('tool ran for another user');
                  }
                }
                return { user: context.user.userId };
              },
            },
          }),
      );
      const users = Array.from({ length: 8 }, (_, i) => `u${i}`);
      const nodesOf = new Map<string, Set<number>>();
      nodes.forEach(({ manager }, index) =>
        manager.on('connect', ({ userId }) =>
          nodesOf.set(userId, (nodesOf.get(userId) ?? new Set()).add(index)),
        ),
      );
      const tabs: Tab[] = [];
      const openTab = async (user: string) => {
        const tabRandom = seeded(seed * 7919 + 2 + tabCount++);
        const log: string[] = [];
        // Every connection attempt lands on a node at random, as behind a load balancer.
        const client = new UnifiedWsClient({
          url: nodes[0]?.url as string,
          token: `dev:${user}`,
          // Forwards whatever else the factory takes (the token and its options) unchanged.
          createSocket: (...args: Parameters<typeof nodeWebSocketFactory>) => {
            const [, ...rest] = args;
            const node = Math.floor(tabRandom() * nodes.length);
            log.push(`socket→node${node}`);
            return nodeWebSocketFactory(nodes[node]?.url as string, ...rest);
          },
          reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
          random: tabRandom,
        });
        defer(() => client.close());
        const tab: Tab = {
          user,
          received: [],
          firstSeq: 0,
          client,
          log,
          unrecovered: [],
          gaps: [],
        };
        client.on('envelope', (envelope) => tab.received.push(envelope));
        client.on('open', (frame) => log.push(`welcome@${frame.seq}`));
        client.on('resumed', (frame) => {
          log.push(`resumed(${frame.recovered},${frame.replayed})@${frame.seq}`);
          if (!frame.recovered) tab.unrecovered.push(frame);
        });
        client.on('gap', (gap) => {
          log.push(`gap ${gap.after}→${gap.seq}`);
          tab.gaps.push(gap);
        });
        client.on('close', ({ code }) => log.push(`close ${code}`));
        tab.firstSeq = (await client.connect()).seq;
        tabs.push(tab);
      };
      for (const user of users) await openTab(user);

      const runs: Promise<unknown>[] = [];
      for (let step = 0; step < 80; step++) {
        const roll = random();
        const user = pick(users);
        if (roll < 0.55) runs.push(pick(engines).execute(user, { input: step }));
        else if (roll < 0.75)
          for (const { manager } of nodes) manager.disconnect(user, 4000, 'moved');
        else if (roll < 0.85) await openTab(user);
        else await delay(random() * 5);
      }
      const outcomes = (await Promise.all(runs)) as { status: string; runId: string }[];
      expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
      const heads = new Map<string, number>();
      for (const user of users)
        heads.set(user, (await nodes[0]?.manager.adapter.position(user))?.seq ?? 0);
      const behind = () =>
        tabs.filter((tab) => (tab.client.lastPosition?.seq ?? 0) < (heads.get(tab.user) ?? 0));
      const deadline = Date.now() + 15_000;
      while (behind().length > 0) {
        if (Date.now() > deadline)
          throw new Error(
            `tabs did not catch up: ${behind()
              .map(
                (tab) =>
                  `${tab.user}@${tab.client.lastPosition?.seq}/${heads.get(tab.user)} ${tab.log.join(' ')}`,
              )
              .join('; ')}`,
          );
        await delay(10);
      }
      expect([...nodesOf.values()].some((set) => set.size > 1)).toBe(true);
      for (const [index, tab] of tabs.entries()) {
        // The tab's history goes with every comparison, so a failure says what the tab went through.
        const which = { tab: index, user: tab.user, log: tab.log };
        expect({ ...which, foreign: tab.received.filter((e) => e.userId !== tab.user) }).toEqual({
          ...which,
          foreign: [],
        });
        expect({ ...which, unrecovered: tab.unrecovered, gaps: tab.gaps }).toEqual({
          ...which,
          unrecovered: [],
          gaps: [],
        });
        const head = heads.get(tab.user) ?? 0;
        expect({ ...which, seqs: tab.received.map((e) => e.seq) }).toEqual({
          ...which,
          seqs: Array.from({ length: head - tab.firstSeq }, (_, k) => tab.firstSeq + k + 1),
        });
        const byRun = new Map<string, Envelope[]>();
        for (const envelope of tab.received)
          byRun.set(envelope.runId ?? '', [...(byRun.get(envelope.runId ?? '') ?? []), envelope]);
        for (const events of byRun.values())
          if (events[0]?.type === 'agent_started')
            expect(findOrderViolation(events)).toBeUndefined();
      }
    },
  );
});
