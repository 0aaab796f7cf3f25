import { UnifiedWsClient } from '../client/node';
import { startDemoServer } from '../demo/demo-server';
import type { AgentEventType, Envelope } from '../protocol/envelope';
import { AGENT_EVENTS } from '../protocol/envelope';
import { findOrderViolation } from '../protocol/event-order';
import type { Command } from './command';
import { EXIT } from './exit-error';
import { parse } from './parse';

const usage = `Usage: unified-ws golden-path

The golden path on the bundled example: starts the demo server on a free loopback port with
dev auth, connects two users, sends each a question, and prints the five agent events of each
run as they arrive. Each user sees only its own run.`;

const QUESTIONS: Record<string, string> = {
  alice: 'What is (2 + 3) * 4?',
  bob: 'And 1.5 / 3 - 2?',
};

function describe(envelope: Envelope): string {
  const payload = envelope.payload as Record<string, unknown>;
  switch (envelope.type as AgentEventType) {
    case 'agent_started':
      return `agent=${String(payload.agent)}`;
    case 'agent_thinking':
      return String(payload.text);
    case 'tool_executing':
      return `${String(payload.tool)} ${JSON.stringify(payload.input)}`;
    case 'tool_completed':
      return `${String(payload.tool)} ${String(payload.status)} → ${JSON.stringify(payload.output ?? payload.error)}`;
    case 'agent_completed':
      return `${String(payload.status)}: ${String((payload.result as { answer?: unknown } | undefined)?.answer ?? JSON.stringify(payload.error))}`;
  }
}

export const goldenPath: Command = {
  summary: 'the five agent events of two users, end to end, on loopback',
  usage,
  async run(argv, io) {
    parse(argv, {}, 'golden-path'); // no options: this refuses unknown flags
    const server = await startDemoServer({ port: 0, host: '127.0.0.1', register: false });
    const url = `ws://127.0.0.1:${server.manager.address().port}/ws`;
    io.stdout.write(`demo server on ${url}\n\n`);
    const clients: UnifiedWsClient[] = [];
    try {
      const runs = Object.entries(QUESTIONS).map(async ([user, text]) => {
        const client = new UnifiedWsClient({ url, token: `dev:${user}`, reconnect: false });
        clients.push(client);
        const seen: Envelope[] = [];
        const done = new Promise<void>((resolve) => client.on('agent_completed', () => resolve()));
        client.on('envelope', (envelope) => {
          if (envelope.userId !== user)
            throw new Error(`${user} received an event of ${envelope.userId}`);
          seen.push(envelope);
          io.stdout.write(
            `[${user.padEnd(5)}] #${String(envelope.seq).padEnd(2)} ${envelope.type.padEnd(15)} ${describe(envelope)}\n`,
          );
        });
        await client.connect();
        io.stdout.write(`[${user.padEnd(5)}] asks: ${text}\n`);
        await client.request('user_message', { text });
        await done;
        return { user, seen };
      });
      const results = await Promise.all(runs);
      io.stdout.write('\n');
      for (const { user, seen } of results) {
        const missing = AGENT_EVENTS.filter(
          (type) => !seen.some((envelope) => envelope.type === type),
        );
        const problem =
          missing.length > 0 ? `missing ${missing.join(', ')}` : findOrderViolation(seen);
        io.stdout.write(
          `${user}: ${seen.length} events, ${problem ?? 'all five agent events, in order, none from another user'}\n`,
        );
        if (problem) return EXIT.FAILURE;
      }
      return EXIT.OK;
    } finally {
      for (const client of clients) client.close();
      await server.close();
    }
  },
};
