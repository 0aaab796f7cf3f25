import { ExecutionEngine } from '../src/agents/execution-engine';
import { ToolDispatcher } from '../src/agents/tool-dispatcher';
import { UnifiedWsClient } from '../src/client/node';
import type { Envelope } from '../src/protocol/envelope';
import { findOrderViolation } from '../src/protocol/event-order';
import { delay, seeded, startManager, useCleanup } from './helpers';

interface Tab {
  user: string;
  client: UnifiedWsClient;
  received: Envelope[];
  firstSeq: number;
}

describe('isolation under random load (seeded)', () => {
  const defer = useCleanup();

  it.each([1, 7, 42])(
    'seed %i: zero cross-user deliveries, per-user order, every event once per tab',
    async (seed) => {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const { manager, url } = await startManager(defer);
      const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
      const runsByUser = new Map<string, Set<string>>(users.map((user) => [user, new Set()]));
      const engine = new ExecutionEngine({
        manager,
        tools: new ToolDispatcher().register('owner', (_input, context) => context.userId),
        agents: {
          scripted: async (context) => {
            const steps = 1 + Math.floor(random() * 4);
            for (let i = 0; i < steps; i++) {
              await context.thinking(`${context.user.userId} step ${i}`);
              await new Promise((resolve) => setImmediate(resolve));
              if (random() < 0.5) {
                const owner = await context.callTool<string>('owner', { i });
                if (owner !== context.user.userId) throw new Error('tool ran for another user');
              }
            }
            return { user: context.user.userId };
          },
        },
      });
      const tabs: Tab[] = [];
      let recovered = 0;
      const openTab = async (user: string): Promise<void> => {
        const client = new UnifiedWsClient({
          url,
          token: `dev:${user}`,
          reconnect: { initialDelayMs: 5, maxDelayMs: 20 },
          random,
        });
        const tab: Tab = { user, client, received: [], firstSeq: 0 };
        client.on('envelope', (envelope) => tab.received.push(envelope));
        client.on('resumed', (frame) => {
          if (!frame.recovered) throw new Error('a resume within the window was not recovered');
          recovered++;
        });
        defer(() => client.close());
        tab.firstSeq = (await client.connect()).seq;
        tabs.push(tab);
      };
      for (const user of users) await openTab(user);

      const runs: Promise<unknown>[] = [];
      for (let step = 0; step < 150; step++) {
        const roll = random();
        const user = pick(users);
        if (roll < 0.55) {
          runs.push(
            engine.execute(user, { input: step }).then((outcome) => {
              runsByUser.get(user)?.add(outcome.runId);
              if (outcome.status !== 'ok')
                throw new Error(`run failed: ${JSON.stringify(outcome)}`);
            }),
          );
        } else if (roll < 0.7) {
          manager.disconnect(user, 4000, 'chaos'); // every tab of the user drops, reconnects and resumes
        } else if (roll < 0.8) {
          await openTab(user); // another tab, joining mid-stream
        } else {
          await delay(random() * 5);
        }
      }
      await Promise.all(runs);
      const heads = new Map(
        users.map((user) => [user, (manager.adapter.position(user) as { seq: number }).seq]),
      );
      const deadline = Date.now() + 10_000;
      while (tabs.some((tab) => (tab.client.lastPosition?.seq ?? 0) < (heads.get(tab.user) ?? 0))) {
        if (Date.now() > deadline) throw new Error('tabs did not catch up');
        await delay(10);
      }

      for (const tab of tabs) {
        expect(tab.received.every((envelope) => envelope.userId === tab.user)).toBe(true);
        expect(
          tab.received.every(
            (envelope) =>
              envelope.runId === undefined || runsByUser.get(tab.user)?.has(envelope.runId),
          ),
        ).toBe(true);
        const seqs = tab.received.map((envelope) => envelope.seq);
        const head = heads.get(tab.user) ?? 0;
        expect(seqs).toEqual(
          Array.from({ length: head - tab.firstSeq }, (_, k) => tab.firstSeq + k + 1),
        );
        const byRun = new Map<string, Envelope[]>();
        for (const envelope of tab.received)
          byRun.set(envelope.runId ?? '', [...(byRun.get(envelope.runId ?? '') ?? []), envelope]);
        for (const events of byRun.values()) {
          if (events[0]?.type === 'agent_started')
            expect(findOrderViolation(events)).toBeUndefined();
        }
      }
      expect(tabs.length).toBeGreaterThan(users.length);
      expect(recovered).toBeGreaterThan(0);
    },
  );
});
