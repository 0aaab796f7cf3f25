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
}

describe('isolation across nodes (seeded, one redis-server)', () => {
  const defer = useCleanup();

  it.each([3, 11])(
    'seed %i: zero cross-user deliveries and per-user order while users move between nodes',
    async (seed) => {
      const random = seeded(seed);
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
                  if (random() < 0.5) {
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
        // Every connection attempt lands on a node at random, as behind a load balancer.
        const client = new UnifiedWsClient({
          url: nodes[0]?.url as string,
          token: `dev:${user}`,
          createSocket: (_url, token) => nodeWebSocketFactory(pick(nodes).url, token),
          reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
          random,
        });
        defer(() => client.close());
        const tab: Tab = { user, received: [], firstSeq: 0, client };
        client.on('envelope', (envelope) => tab.received.push(envelope));
        client.on('resumed', (frame) => {
          if (!frame.recovered) throw new Error('a resume within the window was not recovered');
        });
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
      const deadline = Date.now() + 15_000;
      while (tabs.some((tab) => (tab.client.lastPosition?.seq ?? 0) < (heads.get(tab.user) ?? 0))) {
        if (Date.now() > deadline) throw new Error('tabs did not catch up');
        await delay(10);
      }
      expect([...nodesOf.values()].some((set) => set.size > 1)).toBe(true);
      for (const tab of tabs) {
        expect(tab.received.every((envelope) => envelope.userId === tab.user)).toBe(true);
        const head = heads.get(tab.user) ?? 0;
        expect(tab.received.map((e) => e.seq)).toEqual(
          Array.from({ length: head - tab.firstSeq }, (_, k) => tab.firstSeq + k + 1),
        );
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
