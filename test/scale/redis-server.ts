import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ensureSystemTool, SYSTEM_TOOLS } from '../support/system-deps';

/**
 * How the server keeps its data across a restart:
 * - 'memory': not at all (no snapshot is ever loaded: a restart comes back empty);
 * - 'aof': an append-only file fsynced on every write (a restart, even after kill -9, loses nothing);
 * - 'rdb': only the snapshots `save()` takes; a restart loads the newest one, or the one given
 *   to `restart({ from })` — Redis coming back with older state, as after a restore from backup,
 *   an `appendfsync everysec` crash or a failover to a lagging replica. `rewind(snapshot)` does
 *   the same without a restart (the same process, its connections kept).
 */
export type RedisPersistence = 'memory' | 'aof' | 'rdb';

const DUMP = 'dump.rdb';

/** A real redis-server on a free loopback port with its own temp directory. */
export class RedisServer {
  private process: ChildProcess | undefined;
  private snapshots = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'uws-redis-'));

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly persistence: RedisPersistence,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts one; `true` is 'aof' (the append-only file, fsynced on every write). */
  static async start(persistence: RedisPersistence | boolean = 'memory'): Promise<RedisServer> {
    // The global setup has installed it if it was missing; test files run in parallel workers, and
    // two apt-get at once would fight over the dpkg lock, so a worker only looks it up.
    const binary = ensureSystemTool(SYSTEM_TOOLS.redisServer, { apt: false });
    const port = await freePort();
    const mode = persistence === true ? 'aof' : persistence === false ? 'memory' : persistence;
    const server = new RedisServer(binary, port, mode);
    await server.boot();
    return server;
  }

  async boot(): Promise<void> {
    if (this.persistence === 'memory') rmSync(join(this.dir, DUMP), { force: true });
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--dbfilename',
      DUMP,
      // Never a snapshot of its own: in 'rdb' mode the test decides what a restart comes back with.
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ];
    if (this.persistence === 'aof') args.push('--appendonly', 'yes', '--appendfsync', 'always');
    // DEBUG RELOAD, for rewind(); only from loopback (Redis 7 turns DEBUG off by default).
    if (this.persistence === 'rdb') args.push('--enable-debug-command', 'local');
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start: ${output}`)),
        10_000,
      );
      child.stdout?.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
    child.removeAllListeners('exit');
  }

  /**
   * Takes a snapshot now (SAVE) and keeps a copy of it; resolves with the copy's path, for
   * `restart({ from })`. Only in 'rdb' mode.
   */
  async save(): Promise<string> {
    if (this.persistence !== 'rdb')
      throw new Error(`save() needs 'rdb' mode, not ${this.persistence}`);
    await this.admin((admin) => admin.save());
    const copy = join(this.dir, `snapshot-${++this.snapshots}.rdb`);
    copyFileSync(join(this.dir, DUMP), copy);
    return copy;
  }

  /**
   * Loads `snapshot` in place (DEBUG RELOAD NOSAVE): the same process, run id and connections,
   * with older data — a rewind nothing about the server's identity reveals. Only in 'rdb' mode.
   */
  async rewind(snapshot: string): Promise<void> {
    copyFileSync(snapshot, join(this.dir, DUMP));
    await this.admin((admin) => admin.debug('RELOAD', 'NOSAVE'));
  }

  /** Stops the server (a clean shutdown: with persistence, the data survives a restart). */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  /** kill -9: nothing is written on the way down. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /**
   * Stops the server (cleanly, or with kill -9 when `kill`), waits `downMs`, and starts it again
   * in the same directory; in 'rdb' mode from the snapshot `from` when given.
   */
  async restart(
    options: number | { downMs?: number; kill?: boolean; from?: string } = {},
  ): Promise<void> {
    const {
      downMs = 0,
      kill = false,
      from,
    } = typeof options === 'number' ? { downMs: options } : options;
    await (kill ? this.kill() : this.stop());
    if (from !== undefined) copyFileSync(from, join(this.dir, DUMP));
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.boot();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async admin(work: (admin: Redis) => Promise<unknown>): Promise<void> {
    const admin = new Redis(this.url, { lazyConnect: true });
    try {
      await admin.connect();
      await work(admin);
    } finally {
      admin.disconnect();
    }
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
