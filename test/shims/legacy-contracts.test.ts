import { ExecutionEngine } from '../../src/agents/execution-engine';
import { ToolDispatcher } from '../../src/agents/tool-dispatcher';
import * as canonical from '../../src/index';
import { WebSocketManager, getWebSocketManager } from '../../src/index';
import * as uws001 from '../../shims/websocket-core/unified-manager';
import * as uws002 from '../../shims/websocket-core/websocket-manager';
import * as uws003 from '../../shims/websocket-core/manager';
import * as uws004 from '../../shims/websocket-core/websocket-manager-factory';
import * as uws005 from '../../shims/websocket-core/protocols';
import * as uws006 from '../../shims/agents/supervisor/agent-registry';
import * as uws007 from '../../shims/services/agent-websocket-bridge';
import * as uws008 from '../../shims/scripts/websocket-notifier-rollback-utility';
import * as uws009 from '../../shims/services/websocket-bridge-factory';
import * as uws010 from '../../shims/factories/websocket-bridge-factory';
import * as uws011 from '../../shims/agents/supervisor/execution-engine-factory';
import * as uws012 from '../../shims/core/managers/execution-engine-factory';
import * as uws013 from '../../shims/agents/execution-engine-unified-factory';
import * as uws014 from '../../shims/websocket-core/handlers';
import * as uws015 from '../../shims/websocket-core/message-router';
import * as uws016 from '../../shims/services/websocket/message-router';
import * as uws017 from '../../shims/agents/tool-dispatcher';
import * as uws018 from '../../shims/agents/unified-tool-dispatcher';
import * as uws019 from '../../shims/agents/request-scoped-tool-dispatcher';
import * as uws020 from '../../shims/agents/enhanced-tool-dispatcher';
import { devAuthenticate } from '../../src/manager/auth';
import { TestSocket, useCleanup, type Frame } from '../helpers';

/** What two streams must share: everything but who received it, when, and in which epoch. */
const wire = (frames: Frame[]) =>
  frames.map(({ v, type, runId, seq, payload }) => ({ v, type, runId, seq, payload }));

describe('legacy contracts, against the canonical API over real sockets', () => {
  const defer = useCleanup();
  let manager: WebSocketManager;
  let url: string;

  beforeEach(async () => {
    manager = new WebSocketManager({ port: 0, host: '127.0.0.1', authenticate: devAuthenticate });
    defer(() => manager.close());
    await manager.ready();
    url = `ws://127.0.0.1:${manager.address().port}/ws`;
  });

  /** Runs the legacy and the canonical form, each for its own user, and returns both streams. */
  async function compare(
    count: number,
    legacy: (user: string) => Promise<unknown>,
    reference: (user: string) => Promise<unknown>,
  ) {
    const [a, b] = await Promise.all([
      TestSocket.open(url, 'dev:legacy'),
      TestSocket.open(url, 'dev:canonical'),
    ]);
    defer(() => Promise.all([a.close(), b.close()]));
    const results = [await legacy('legacy'), await reference('canonical')];
    await a.waitForCount((f) => f.seq !== undefined && f.type !== 'welcome', count);
    await b.waitForCount((f) => f.seq !== undefined && f.type !== 'welcome', count);
    expect(wire(a.stream())).toEqual(wire(b.stream()));
    expect(a.stream().every((f) => f.userId === 'legacy')).toBe(true);
    return results;
  }

  it('keeps identity: same-object names are the canonical objects, duplicates are one object', () => {
    expect(uws001.UnifiedWebSocketManager).toBe(WebSocketManager);
    expect(uws002.WebSocketManager).toBe(WebSocketManager);
    expect(uws002.getWebSocketManager).toBe(getWebSocketManager);
    expect(uws003.WebSocketManager).toBe(WebSocketManager);
    expect(
      new uws001.UnifiedWebSocketManager({ authenticate: devAuthenticate, register: false }),
    ).toBeInstanceOf(WebSocketManager);
    expect(canonical.MessageRouter).not.toBe(uws014.MessageRouter);
  });

  it('keeps duplicates one implementation: one prototype, the same static methods, instanceof either way', () => {
    // Each entry point counts under its own code, so each has a view of its own over the one class.
    const pairs: [new (...args: never[]) => object, new (...args: never[]) => object][] = [
      [uws007.WebSocketNotifier, uws008.WebSocketNotifier],
      [uws009.WebSocketBridgeFactory, uws010.WebSocketBridgeFactory],
      [uws011.ExecutionEngineFactory, uws012.ExecutionEngineFactory],
      [uws014.MessageRouter, uws016.MessageRouter],
    ];
    for (const [a, b] of pairs) {
      expect(a.prototype).toBe(b.prototype);
      expect(Reflect.construct(a, [])).toBeInstanceOf(b);
      expect(Reflect.construct(b, [])).toBeInstanceOf(a);
    }
    expect(uws010.WebSocketBridgeFactory.createBridge).toBe(
      uws009.WebSocketBridgeFactory.createBridge,
    );
    expect(uws012.ExecutionEngineFactory.createForUser).toBe(
      uws011.ExecutionEngineFactory.createForUser,
    );
  });

  it('UWS003: websocketManager is the default manager at use time, never a second one', async () => {
    const view = uws003.websocketManager;
    expect(view).toBeInstanceOf(WebSocketManager);
    expect(view.router).toBe(manager.router);
    await compare(
      1,
      (user) => view.forUser(user).send('note', { n: 1 }),
      (user) => getWebSocketManager().forUser(user).send('note', { n: 1 }),
    );
    expect(view.isConnected('legacy')).toBe(true);
    expect(view.connectionCount()).toBe(manager.connectionCount());
  });

  it('UWS004: the factory hands out channels of the one manager', async () => {
    expect(uws004.WebSocketManagerFactory.getManager()).toBe(manager);
    await compare(
      2,
      async (user) => {
        await uws004.WebSocketManagerFactory.createManager({ userId: user }).send('note', { n: 1 });
        await uws004.createWebSocketManager(user).send('note', { n: 2 });
      },
      async (user) => {
        await manager.forUser({ userId: user }).send('note', { n: 1 });
        await manager.forUser(user).send('note', { n: 2 });
      },
    );
  });

  it('UWS005: the adapter sends, reports connections and counts like the manager', async () => {
    const adapter = new uws005.LegacyWebSocketManagerAdapter();
    const [sent] = await compare(
      1,
      async (user) => adapter.sendToUser(user, { type: 'note', text: 'hi' }),
      (user) => manager.forUser(user).send('note', { text: 'hi' }),
    );
    expect(sent).toBe(true);
    expect(adapter.sendToUser('nobody', { type: 'note' })).toBe(false);
    expect(adapter.isUserConnected('legacy')).toBe(manager.isConnected('legacy'));
    expect(adapter.getConnectionCount('legacy')).toBe(1);
    expect(adapter.getConnectionCount()).toBe(manager.connectionCount());
    expect(() => adapter.sendToUser('legacy', { type: 'agent_started' })).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_RESERVED_TYPE' }),
    );
  });

  it.each([
    ['UWS006 WebSocketManagerAdapter', () => new uws006.WebSocketManagerAdapter()],
    ['UWS007 WebSocketNotifier', () => new uws007.WebSocketNotifier()],
    ['UWS008 WebSocketNotifier', () => new uws008.WebSocketNotifier(manager)],
  ])('%s: notify* produce the events of the canonical run', async (_name, create) => {
    const notifier = create();
    await compare(
      5,
      async (user) => {
        const ctx = { userId: user, runId: 'run-1' };
        await notifier.notifyAgentStarted(ctx, 'planner');
        await notifier.notifyAgentThinking(ctx, 'hmm');
        await notifier.notifyToolExecuting(ctx, 'search', { q: 'x' });
        await notifier.notifyToolCompleted(ctx, 'search', { hits: 1 });
        await notifier.notifyAgentCompleted(ctx, { answer: 42 });
      },
      async (user) => {
        const run = manager.forUser(user).agentRun({ runId: 'run-1', agent: 'planner' });
        await run.start();
        await run.thinking('hmm');
        const call = await run.toolExecuting('search', { q: 'x' });
        await run.toolCompleted(call.payload.callId, { hits: 1 });
        await run.complete({ answer: 42 });
      },
    );
    expect(() =>
      notifier.notifyAgentThinking({ userId: 'legacy', runId: 'run-1' }, 'late'),
    ).toThrow(expect.objectContaining({ code: 'UWS_ERR_RUN_COMPLETED' }));
  });

  it('UWS007/UWS009/UWS010: the bridge maps emitAgentEvent onto the run, and factories make no manager', async () => {
    const bridge = uws010.WebSocketBridgeFactory.createBridge();
    expect(bridge).toBeInstanceOf(uws007.AgentWebSocketBridge);
    await compare(
      6,
      async (user) => {
        const ctx = { userId: user, runId: 'run-2' };
        await bridge.emitAgentEvent(ctx, 'agent_started', { agent: 'a' });
        await bridge.emitAgentEvent(ctx, 'tool_executing', { tool: 't', input: 1 });
        await bridge.emitAgentEvent(ctx, 'tool_completed', {
          tool: 't',
          error: { code: 'E', message: 'm' },
        });
        await bridge.emitAgentEvent(ctx, 'custom_progress', { pct: 50 });
        await bridge.emitAgentEvent(ctx, 'agent_thinking', { text: 'retrying' });
        await bridge.emitAgentEvent(ctx, 'agent_completed', { result: 'ok' });
      },
      async (user) => {
        const run = manager.forUser(user).agentRun({ runId: 'run-2', agent: 'a' });
        await run.start();
        const call = await run.toolExecuting('t', 1);
        await run.toolFailed(call.payload.callId, { code: 'E', message: 'm' });
        await manager.forUser(user).send('custom_progress', { pct: 50 });
        await run.thinking('retrying');
        await run.complete('ok');
      },
    );
    expect(getWebSocketManager()).toBe(manager);
  });

  it.each([
    ['UWS011', uws011.ExecutionEngineFactory],
    ['UWS012', uws012.ExecutionEngineFactory],
    ['UWS013', uws013.UnifiedExecutionEngineFactory],
  ])(
    '%s: createForUser(ctx).execute(request) is ExecutionEngine.execute(ctx, request)',
    async (_code, Factory) => {
      const agents = {
        echo: async (context: canonical.AgentContext) => {
          await context.thinking('echoing');
          return { echo: context.input };
        },
      };
      const engine = new ExecutionEngine({ manager, agents });
      const [legacyOutcome, canonicalOutcome] = await compare(
        3,
        (user) =>
          Factory.createForUser({ userId: user, runId: 'run-3' }, { agents }).execute({
            input: 'x',
          }),
        (user) => engine.execute({ userId: user, runId: 'run-3' }, { input: 'x' }),
      );
      expect(legacyOutcome).toEqual(canonicalOutcome);
    },
  );

  it('UWS014/UWS016: handlers go on the manager’s one router', async () => {
    const seen: [string, unknown][] = [];
    new uws014.MessageRouter().addHandler('legacy_ping', (userId, message) => {
      seen.push([userId, message.payload]);
      return 'pong';
    });
    expect(manager.router.has('legacy_ping')).toBe(true);
    expect(() => new uws016.MessageRouter().addHandler('legacy_ping', () => undefined)).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_DUPLICATE_REGISTRATION' }),
    );
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    socket.send({ type: 'legacy_ping', id: 'p1', payload: { n: 1 } });
    expect(await socket.waitFor((f) => f.type === 'ack')).toEqual({
      type: 'ack',
      id: 'p1',
      payload: 'pong',
    });
    await new uws014.MessageRouter().routeMessage(
      'bob',
      JSON.stringify({ type: 'legacy_ping', payload: { n: 2 } }),
    );
    expect(seen).toEqual([
      ['alice', { n: 1 }],
      ['bob', { n: 2 }],
    ]);
    await expect(new uws014.MessageRouter().routeMessage('bob', '{oops')).rejects.toMatchObject({
      code: 'UWS_ERR_ROUTE_FAILED',
      frame: { code: 'BAD_JSON' },
    });
  });

  it('UWS015: register/route with contexts, on the same router', async () => {
    const router = new uws015.WebSocketMessageRouter();
    router.register('legacy_whoami', (ctx, message) => ({
      user: ctx.userId,
      thread: ctx.threadId,
      type: message.type,
    }));
    expect(
      await router.route(
        { userId: 'carol', threadId: 't1' },
        { type: 'legacy_whoami', payload: null },
      ),
    ).toEqual({ user: 'carol', thread: 't1', type: 'legacy_whoami' });
    await expect(router.route('carol', { type: 'nope', payload: null })).rejects.toMatchObject({
      frame: { code: 'UNKNOWN_TYPE' },
    });
    expect(manager.router.has('legacy_whoami')).toBe(true);
  });

  describe('tool dispatchers', () => {
    const add = (input: unknown) =>
      (input as { a: number; b: number }).a + (input as { a: number; b: number }).b;

    async function startedRun(user: string, runId: string) {
      const run = manager.forUser(user).agentRun({ runId });
      await run.start();
      return run;
    }

    it.each([
      [
        'UWS017 ToolDispatcher',
        (ctx: canonical.UserContext) =>
          new uws017.ToolDispatcher().registerTool('add', add).dispatch(ctx, 'add', { a: 2, b: 3 }),
      ],
      [
        'UWS018 UnifiedToolDispatcher',
        (ctx: canonical.UserContext) =>
          new uws018.UnifiedToolDispatcher()
            .registerTool('add', add)
            .dispatch(ctx, 'add', { a: 2, b: 3 }),
      ],
      [
        'UWS019 RequestScopedToolDispatcher',
        (ctx: canonical.UserContext) =>
          new uws019.RequestScopedToolDispatcher(ctx)
            .registerTool('add', add)
            .executeTool('add', { a: 2, b: 3 }),
      ],
      [
        'UWS020 EnhancedToolDispatcher',
        (ctx: canonical.UserContext) =>
          new uws020.EnhancedToolDispatcher()
            .registerTool('add', add)
            .dispatchTool(ctx, 'add', { a: 2, b: 3 }),
      ],
    ])(
      '%s: a call is ToolDispatcher.dispatch on the run of ctx.runId, resolving with the output',
      async (_name, call) => {
        const tools = new ToolDispatcher().register('add', (input) => add(input));
        const [legacyOutput, canonicalResult] = await compare(
          3,
          async (user) => {
            await startedRun(user, 'run-4');
            return call({ userId: user, runId: 'run-4' });
          },
          async (user) => tools.dispatch(await startedRun(user, 'run-4'), 'add', { a: 2, b: 3 }),
        );
        expect(legacyOutput).toBe(5);
        expect(canonicalResult).toMatchObject({ status: 'ok', output: 5 });
      },
    );

    it('a failing legacy tool completes with an error status, then rejects with ToolCallError', async () => {
      const socket = await TestSocket.open(url, 'dev:dora');
      defer(() => socket.close());
      await startedRun('dora', 'run-5');
      const dispatcher = new uws017.ToolDispatcher().registerTool('boom', () => {
        throw Object.assign(new Error('no disk'), { code: 'DISK' });
      });
      await expect(
        dispatcher.dispatch({ userId: 'dora', runId: 'run-5' }, 'boom', {}),
      ).rejects.toMatchObject({ code: 'UWS_ERR_TOOL_FAILED', toolCode: 'DISK' });
      expect((await socket.waitFor((f) => f.type === 'tool_completed')).payload).toMatchObject({
        status: 'error',
        error: { code: 'DISK' },
      });
    });
  });
});
