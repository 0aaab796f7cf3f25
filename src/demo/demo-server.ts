import { ExecutionEngine } from '../agents/execution-engine';
import { ToolDispatcher } from '../agents/tool-dispatcher';
import { routeUserMessages } from '../agents/user-message-route';
import { devAuthenticate, type Authenticate } from '../manager/auth';
import type { Logger, WebSocketManagerOptions } from '../manager/options';
import { WebSocketManager } from '../manager/websocket-manager';
import { calculatorAgent, calculatorTool } from './calculator-agent';

export interface DemoServerOptions extends Omit<WebSocketManagerOptions, 'authenticate'> {
  /** Default: dev auth (`dev:<userId>` tokens). */
  authenticate?: Authenticate;
  logger?: Logger;
}

export interface DemoServer {
  manager: WebSocketManager;
  engine: ExecutionEngine;
  close(): Promise<void>;
}

/** A manager with the calculator agent answering `user_message`: what `serve` and the demo run. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const { authenticate = devAuthenticate, ...rest } = options;
  const manager = new WebSocketManager({ ...rest, authenticate });
  const engine = new ExecutionEngine({
    manager,
    agents: { calculator: calculatorAgent },
    tools: new ToolDispatcher().register('calculator', calculatorTool),
  });
  routeUserMessages(manager.router, engine);
  try {
    await manager.ready();
  } catch (error) {
    await manager.close();
    throw error;
  }
  return {
    manager,
    engine,
    close: async () => {
      engine.close();
      await manager.close();
    },
  };
}
