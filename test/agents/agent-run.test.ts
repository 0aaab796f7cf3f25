import type { AgentRun } from '../../src/agents/agent-run';
import { ExecutionEngine, type AgentContext } from '../../src/agents/execution-engine';
import { ToolDispatcher } from '../../src/agents/tool-dispatcher';
import type { WebSocketManager } from '../../src/manager/websocket-manager';
import { findOrderViolation } from '../../src/protocol/event-order';
import type { Envelope } from '../../src/protocol/envelope';
import { startManager, TestSocket, useCleanup } from '../helpers';

type Step = (run: AgentRun, calls: string[]) => Promise<unknown>;
const start: Step = (run) => run.start();
const think: Step = (run) => run.thinking('hmm');
const exec: Step = (run, calls) =>
  run.toolExecuting('t', { a: 1 }).then((envelope) => calls.push(envelope.payload.callId));
const done: Step = (run, calls) => run.toolCompleted(calls.shift() ?? 'none', 1);
const toolFail: Step = (run, calls) => run.toolFailed(calls.shift() ?? 'none', new Error('x'));
const complete: Step = (run) => run.complete({ ok: true });
const fail: Step = (run) => run.fail(new Error('boom'));

describe('AgentRun', () => {
  const defer = useCleanup();
  let manager: WebSocketManager;
  let socket: TestSocket;

  beforeEach(async () => {
    const started = await startManager(defer);
    manager = started.manager;
    socket = await TestSocket.open(started.url, 'dev:alice');
    defer(() => socket.close());
  });

  const valid: [string, Step[], string[]][] = [
    ['start, complete', [start, complete], ['agent_started', 'agent_completed']],
    [
      'thinking between',
      [start, think, think, complete],
      ['agent_started', 'agent_thinking', 'agent_thinking', 'agent_completed'],
    ],
    [
      'a tool pair',
      [start, exec, done, complete],
      ['agent_started', 'tool_executing', 'tool_completed', 'agent_completed'],
    ],
    [
      'a failed tool',
      [start, exec, toolFail, complete],
      ['agent_started', 'tool_executing', 'tool_completed', 'agent_completed'],
    ],
    [
      'fail with an open call',
      [start, exec, fail],
      ['agent_started', 'tool_executing', 'tool_completed', 'agent_completed'],
    ],
    ['fail before start', [fail], ['agent_started', 'agent_completed']],
  ];

  it.each(valid)('emits %s in order', async (_name, steps, types) => {
    const run = manager.forUser('alice').agentRun({ agent: 'a' });
    const calls: string[] = [];
    for (const step of steps) await step(run, calls);
    const frames = await socket.waitForCount((f) => f.runId === run.runId, types.length);
    expect(frames.map((f) => f.type)).toEqual(types);
    expect(findOrderViolation(frames as unknown as Envelope[])).toBeUndefined();
    expect(run.status).toBe('completed');
  });

  const invalid: [string, Step[], Step, string][] = [
    ['thinking before start', [], think, 'UWS_ERR_RUN_NOT_STARTED'],
    ['a tool call before start', [], exec, 'UWS_ERR_RUN_NOT_STARTED'],
    ['a second start', [start], start, 'UWS_ERR_RUN_ALREADY_STARTED'],
    ['tool_completed without tool_executing', [start], done, 'UWS_ERR_UNKNOWN_TOOL_CALL'],
    [
      'tool_completed twice',
      [start, exec, (run, calls) => run.toolCompleted(calls[0] ?? '', 1)],
      done,
      'UWS_ERR_UNKNOWN_TOOL_CALL',
    ],
    ['complete with an open tool call', [start, exec], complete, 'UWS_ERR_TOOL_CALLS_PENDING'],
    ['complete before start', [], complete, 'UWS_ERR_RUN_NOT_STARTED'],
    ['thinking after completion', [start, complete], think, 'UWS_ERR_RUN_COMPLETED'],
    ['a second completion', [start, complete], complete, 'UWS_ERR_RUN_COMPLETED'],
    ['fail after completion', [start, complete], fail, 'UWS_ERR_RUN_COMPLETED'],
    ['start after completion', [start, complete], start, 'UWS_ERR_RUN_COMPLETED'],
  ];

  it.each(invalid)(
    'refuses %s with a typed error and emits nothing for it',
    async (_name, before, step, code) => {
      const run = manager.forUser('alice').agentRun();
      const calls: string[] = [];
      for (const s of before) await s(run, calls);
      const sent = manager.stats().delivered;
      expect(() => step(run, calls)).toThrow(
        expect.objectContaining({ code, name: 'AgentRunError' }),
      );
      expect(manager.stats().delivered).toBe(sent);
    },
  );

  it('returns the same run for the same runId and user, also after completion', async () => {
    const channel = manager.forUser({ userId: 'alice', runId: 'r-1' });
    const run = channel.agentRun();
    expect(run.runId).toBe('r-1');
    expect(manager.forUser('alice').agentRun({ runId: 'r-1' })).toBe(run);
    expect(manager.forUser('bob').agentRun({ runId: 'r-1' })).not.toBe(run);
    await run.start();
    await run.complete();
    expect(manager.forUser('alice').agentRun({ runId: 'r-1' })).toBe(run);
    expect(manager.stats().activeRuns).toBe(1); // bob's, never started
  });
});

describe('ToolDispatcher', () => {
  const defer = useCleanup();

  it('brackets a call with tool_executing / tool_completed, and a throwing tool with an error status', async () => {
    const { manager, url } = await startManager(defer);
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    const tools = new ToolDispatcher()
      .register('add', ({ a, b }: { a: number; b: number }) => a + b)
      .register('broken', () => {
        throw Object.assign(new Error('disk on fire'), { code: 'DISK' });
      });
    const run = manager.forUser('alice').agentRun();
    await run.start();
    expect(await tools.dispatch(run, 'add', { a: 2, b: 3 })).toMatchObject({
      status: 'ok',
      output: 5,
    });
    expect(await tools.dispatch(run, 'broken', {})).toMatchObject({
      status: 'error',
      error: { code: 'DISK', message: 'disk on fire' },
    });
    expect(await tools.dispatch(run, 'missing', {})).toMatchObject({
      status: 'error',
      error: { code: 'UNKNOWN_TOOL' },
    });
    await run.complete();
    const frames = await socket.waitForCount((f) => f.runId === run.runId, 8);
    expect(
      frames
        .filter((f) => f.type === 'tool_completed')
        .map((f) => (f.payload as { status: string }).status),
    ).toEqual(['ok', 'error', 'error']);
    expect(() => tools.register('add', () => 0)).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_DUPLICATE_REGISTRATION' }),
    );
  });
});

describe('ExecutionEngine', () => {
  const defer = useCleanup();

  it('runs agents for two users concurrently, each in its own context, events only to its user', async () => {
    const { manager, url } = await startManager(defer);
    const alice = await TestSocket.open(url, 'dev:alice');
    const bob = await TestSocket.open(url, 'dev:bob');
    defer(() => Promise.all([alice.close(), bob.close()]));
    const contexts: AgentContext[] = [];
    const engine = new ExecutionEngine({
      manager,
      tools: new ToolDispatcher().register('whoami', (_input, context) => context.userId),
      agents: {
        echo: async (context) => {
          contexts.push(context);
          context.state.set('mine', context.user.userId);
          await context.thinking(`for ${context.user.userId}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
          return { me: await context.callTool('whoami', {}), state: context.state.get('mine') };
        },
      },
    });
    const [a, b] = await Promise.all([
      engine.execute('alice', { input: 1 }),
      engine.execute({ userId: 'bob', threadId: 't' }, { input: 2 }),
    ]);
    expect(a).toMatchObject({ status: 'ok', result: { me: 'alice', state: 'alice' } });
    expect(b).toMatchObject({ status: 'ok', result: { me: 'bob', state: 'bob' } });
    expect(contexts[0]?.state).not.toBe(contexts[1]?.state);
    expect(Object.isFrozen(contexts[0]?.user)).toBe(true);
    const aliceFrames = await alice.waitForCount((f) => f.runId === a.runId, 5);
    await bob.waitForCount((f) => f.runId === b.runId, 5);
    expect(alice.stream().every((f) => f.userId === 'alice' && f.runId === a.runId)).toBe(true);
    expect(bob.stream().every((f) => f.userId === 'bob' && f.runId === b.runId)).toBe(true);
    expect(aliceFrames.map((f) => f.type)).toEqual([
      'agent_started',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
  });

  it('completes a failing agent with status error, and refuses unknown agents and reused run ids', async () => {
    const { manager, url } = await startManager(defer);
    const socket = await TestSocket.open(url, 'dev:alice');
    defer(() => socket.close());
    const engine = new ExecutionEngine({
      manager,
      agents: {
        crash: async (context) => {
          await context.thinking('about to crash');
          throw Object.assign(new Error('model unavailable'), { code: 'MODEL_DOWN' });
        },
        other: () => 1,
      },
    });
    const outcome = await engine.execute('alice', { input: null, agent: 'crash', runId: 'r1' });
    expect(outcome).toEqual({
      runId: 'r1',
      status: 'error',
      error: { code: 'MODEL_DOWN', message: 'model unavailable' },
    });
    const last = await socket.waitFor((f) => f.type === 'agent_completed');
    expect(last.payload).toEqual({
      status: 'error',
      error: { code: 'MODEL_DOWN', message: 'model unavailable' },
    });
    await expect(engine.execute('alice', { input: null })).rejects.toMatchObject({
      code: 'UWS_ERR_UNKNOWN_AGENT',
    });
    await expect(engine.execute('alice', { input: null, agent: 'nope' })).rejects.toMatchObject({
      code: 'UWS_ERR_UNKNOWN_AGENT',
    });
    await expect(
      engine.execute('alice', { input: null, agent: 'other', runId: 'r1' }),
    ).rejects.toMatchObject({ code: 'UWS_ERR_RUN_ALREADY_STARTED' });
  });

  it('aborts running agents on close()', async () => {
    const { manager } = await startManager(defer);
    let seen: AbortSignal | undefined;
    const engine = new ExecutionEngine({
      manager,
      agents: {
        wait: (context) =>
          new Promise((_resolve, reject) => {
            seen = context.signal;
            context.signal.addEventListener('abort', () =>
              reject(Object.assign(new Error('aborted'), { code: 'ABORTED' })),
            );
          }),
      },
    });
    const pending = engine.execute('alice', { input: null });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(engine.activeRuns).toBe(1);
    engine.close();
    expect(await pending).toMatchObject({ status: 'error', error: { code: 'ABORTED' } });
    expect(seen?.aborted).toBe(true);
    expect(engine.activeRuns).toBe(0);
  });
});
