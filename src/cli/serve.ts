import { BROWSER_BUILD_PATH } from '../demo/chat-page';
import { startChatServer } from '../demo/chat-server';
import { RedisDeliveryAdapter } from '../scale/redis-adapter';
import type { Command } from './command';
import { EXIT, ExitError } from './exit-error';
import { parse, parsePort } from './parse';

const usage = `Usage: unified-ws serve [--port N] [--host H] [--path P] [--redis URL] --dev-auth

Runs a unified-ws server with the deterministic demo agent (a calculator with one tool): send
{ "type": "user_message", "id": "1", "payload": { "text": "what is 2 + 3?" } } and watch the
five agent events arrive. The same port serves a chat page at / (open it in a browser) that runs on
the browser build of unified-ws/client, served at ${BROWSER_BUILD_PATH}client/index.js.

  --port N     port to listen on (0: any free port)         default 8080
  --host H     interface to listen on                        default 127.0.0.1
  --path P     WebSocket path                                default /ws
  --redis URL  run as one node of a cluster: user streams in Redis (docs/scaling.md)
  --dev-auth   accept tokens "dev:<userId>", refuse all others with 401 (development only)`;

export const serve: Command = {
  summary: 'run a WebSocket server with the demo agent',
  usage,
  async run(argv, io) {
    const { values } = parse(
      argv,
      {
        port: { type: 'string' },
        host: { type: 'string' },
        path: { type: 'string' },
        redis: { type: 'string' },
        'dev-auth': { type: 'boolean' },
      },
      'serve',
    );
    if (!values['dev-auth']) {
      throw new ExitError(
        EXIT.USAGE,
        `serve needs an authentication mode; the only built-in one is --dev-auth.\n\n${usage}`,
      );
    }
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const path = (values.path as string | undefined) ?? '/ws';
    const port = parsePort(values.port as string | undefined, 8080);
    const redis = values.redis as string | undefined;
    if (redis !== undefined && !/^rediss?:\/\//.test(redis)) {
      throw new ExitError(
        EXIT.USAGE,
        `--redis takes a URL such as redis://127.0.0.1:6379, not "${redis}"`,
      );
    }
    let server;
    try {
      server = await startChatServer({
        port,
        host,
        path,
        ...(redis ? { adapter: new RedisDeliveryAdapter({ url: redis }) } : {}),
        logger: {
          warn: (message, meta) =>
            io.stderr.write(`warn: ${message} ${JSON.stringify(meta ?? {})}\n`),
          error: (message, meta) =>
            io.stderr.write(`error: ${message} ${JSON.stringify(meta ?? {})}\n`),
        },
      });
    } catch (error) {
      throw new ExitError(
        EXIT.FAILURE,
        `cannot start on ${host}:${port}${redis ? ` with ${redis}` : ''}: ${(error as Error).message}`,
      );
    }
    const bound = server.manager.address().port;
    io.stdout.write(
      `unified-ws listening on ws://${host}:${bound}${path}${redis ? ` as a node of ${redis}` : ''} (dev auth: use the token "dev:<userId>")\n` +
        `chat page: http://${host}:${bound}/\n`,
    );
    await io.interrupted;
    io.stdout.write('shutting down\n');
    await server.close();
    return EXIT.OK;
  },
};
