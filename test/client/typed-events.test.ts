// Types checked by tsc (npm run typecheck, and ts-jest when this file runs): every
// `@ts-expect-error` line must be an error, or the directive itself is one.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { UnifiedWsClient as BrowserClient } from '../../src/client/index';
import { UnifiedWsClient } from '../../src/client/node';
import type { Envelope } from '../../src/protocol/envelope';
import { startManager, useCleanup } from '../helpers';
import { until } from './peers';

interface ChatEvents {
  notice: { text: string };
  typing: { userId: string; active: boolean };
}

/** Compiled, never called: what the types allow and refuse. */
export function typeChecks(): void {
  const plain = new UnifiedWsClient({ url: 'ws://x' });
  plain.on('agent_thinking', (payload, envelope) => {
    const text: string = payload.text;
    const seq: number = envelope.seq;
    (void text, seq);
  });
  plain.on('close', ({ code, willReconnect }) => void [code, willReconnect]);
  plain.on('reconnect_attempt', ({ attempt, delayMs }) => void [attempt, delayMs]);
  plain.on('connect_error', (error) => void error.closeCode);
  // @ts-expect-error an application type needs the generic
  plain.on('notice', () => undefined);
  // @ts-expect-error no `any` through an unknown event name
  plain.once('anything', (payload: number) => payload);
  // @ts-expect-error the payload of agent_thinking has no `result`
  plain.on('agent_thinking', (payload) => payload.result);

  const chat = new UnifiedWsClient<ChatEvents>({ url: 'ws://x' });
  chat.on('notice', (payload, envelope) => {
    const text: string = payload.text;
    const same: Envelope<{ text: string }> = envelope;
    (void text, same);
  });
  chat.once('typing', ({ userId, active }) => void [userId, active]);
  chat.off('typing');
  chat.on('agent_completed', (payload) => void payload.status);
  // @ts-expect-error notice's payload has no `html`
  chat.on('notice', (payload) => payload.html);
  // @ts-expect-error typing's listener gets its own payload, not notice's
  chat.on('typing', (payload: { text: string }) => payload);
  // @ts-expect-error still no undeclared name
  chat.on('presence', () => undefined);
  const unsubscribe: () => void = chat.on('notice', () => undefined);
  unsubscribe();

  // The browser entry takes the same generic.
  const browser = new BrowserClient<ChatEvents>({ url: 'ws://x' });
  browser.on('typing', (payload) => void payload.active);

  // @ts-expect-error an application cannot redeclare a client event…
  new UnifiedWsClient<{ open: { text: string } }>({ url: 'ws://x' });
  // @ts-expect-error …nor an agent event
  new UnifiedWsClient<{ agent_started: { other: true } }>({ url: 'ws://x' });
  // @ts-expect-error the payload of request() options
  void plain.request('x', {}, { timeout: 5 });
}

describe('UnifiedWsClient events', () => {
  const defer = useCleanup();

  it('each @ts-expect-error above marks a line that is an error, and only those are', () => {
    // The same file without the directives, compiled with the project's options: the errors must
    // be exactly on the lines after them (so none of them passes for another reason).
    const file = join(__dirname, 'typed-events.test.ts');
    const virtual = join(__dirname, '__typed-events-without-directives__.ts');
    const lines = readFileSync(file, 'utf8').split('\n');
    const expected = lines.flatMap((line, index) =>
      /^\s*\/\/ @ts-expect-error/.test(line) ? [index + 2] : [],
    );
    const source = lines.map((line) => line.replace(/\/\/ @ts-expect-error.*$/, '//')).join('\n');
    const config = ts.getParsedCommandLineOfConfigFile(
      join(__dirname, '..', '..', 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    if (!config) throw new Error('tsconfig.json could not be read');
    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === virtual
        ? ts.createSourceFile(name, source, language)
        : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === virtual || fileExists(name);
    const program = ts.createProgram([virtual], config.options, host);
    // This file's diagnostics only: the others are the project's type-check.
    const sourceFile = program.getSourceFile(virtual) as ts.SourceFile;
    const errors = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ].map((diagnostic) => {
      const { line } = ts.getLineAndCharacterOfPosition(
        diagnostic.file as ts.SourceFile,
        diagnostic.start ?? 0,
      );
      return line + 1;
    });
    expect(expected.length).toBe(9);
    expect([...new Set(errors)]).toEqual(expected);
  });

  it('on/once/off: typed application events, once fires once, off removes', async () => {
    const { manager, url } = await startManager(defer);
    const client = new UnifiedWsClient<ChatEvents>({ url, token: 'dev:alice' });
    defer(() => client.close());
    const calls: string[] = [];
    const onNotice = (payload: { text: string }) => calls.push(`on ${payload.text}`);
    client.on('notice', onNotice);
    client.once('notice', (payload, envelope) =>
      calls.push(`once ${payload.text} #${envelope.seq}`),
    );
    const unsubscribe = client.on('typing', ({ active }) => calls.push(`typing ${active}`));
    const envelopes: number[] = [];
    client.on('envelope', (e) => envelopes.push(e.seq));
    await client.connect();
    const user = manager.forUser('alice');
    await user.send('notice', { text: 'a' });
    await user.send('typing', { userId: 'bob', active: true });
    await until(() => envelopes.length === 2, 'two envelopes');
    unsubscribe();
    client.off('notice', onNotice);
    await user.send('notice', { text: 'b' });
    await user.send('typing', { userId: 'bob', active: false });
    await until(() => envelopes.length === 4, 'four envelopes');
    expect(calls).toEqual(['on a', 'once a #1', 'typing true']);
    expect(client.listenerCount('notice')).toBe(0);
    expect(client.listenerCount()).toBe(1);
  });

  it('an envelope named like a client event is delivered through `envelope` only', async () => {
    const { manager, url } = await startManager(defer);
    const client = new UnifiedWsClient({ url, token: 'dev:alice' });
    defer(() => client.close());
    const seen: string[] = [];
    client.on('close', () => seen.push('close listener'));
    client.on('gap', () => seen.push('gap listener'));
    client.on('envelope', (e) => seen.push(e.type));
    await client.connect();
    await manager.forUser('alice').send('close', { not: 'a close event' });
    await manager.forUser('alice').send('gap', {});
    await until(() => seen.length === 2, 'two envelopes');
    expect(seen).toEqual(['close', 'gap']);
  });

  it('a listener that throws does not stop the others, nor the client', async () => {
    // Its error is reported as uncaught, asynchronously (as a browser reports an exception in an
    // event listener): in a process of its own, so that the report can be observed.
    const { manager, url } = await startManager(defer);
    const script = `
      const { UnifiedWsClient } = require(${JSON.stringify(require.resolve('../../dist/src/client/node.js'))});
      const reported = [];
      process.on('uncaughtException', (error) => reported.push(error.message));
      const client = new UnifiedWsClient({ url: ${JSON.stringify(url)}, token: 'dev:alice' });
      const seen = [];
      client.on('envelope', () => { throw new Error('listener bug'); });
      client.on('envelope', (e) => {
        seen.push(e.seq);
        if (seen.length === 2) setTimeout(() => {
          console.log(JSON.stringify({ seen, reported, position: client.lastPosition.seq }));
          client.close();
        }, 20);
      });
      client.connect().then(() => console.log('connected'));
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    defer(() => child.exitCode === null && child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await until(() => stdout.includes('connected'), 'the child to connect');
    await manager.forUser('alice').send('tick', {});
    await manager.forUser('alice').send('tick', {});
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout.split('\n')[1] ?? '')).toEqual({
      seen: [1, 2],
      reported: ['listener bug', 'listener bug'],
      position: 2,
    });
  });
});
