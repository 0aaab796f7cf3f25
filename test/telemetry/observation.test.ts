import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureDeprecations,
  disableJsonLinesTelemetry,
  enableJsonLinesTelemetry,
  resetDeprecations,
  TELEMETRY_FILE_ENV,
} from '../../src/deprecation/index';
import type { ObservationLine } from '../../src/deprecation/jsonl-sink';
import { createWebSocketManager } from '../../shims/websocket-core/websocket-manager-factory';
import { devAuthenticate } from '../../src/manager/auth';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { useCleanup } from '../helpers';

// The JSON-lines sink's observation lines: what lets `report` tell "observed for 30 days with no
// call" from "no data" — a process that uses no legacy code writes them too.

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('observation lines', () => {
  const defer = useCleanup();

  function tempFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'uws-observation-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    return join(dir, 'telemetry.jsonl');
  }

  const read = (path: string) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeEach(() => {
    const manager = new WebSocketManager({ authenticate: devAuthenticate });
    defer(() => manager.close());
    resetDeprecations();
    configureDeprecations({ policy: 'silent' });
  });

  it('follows the use lines of a flush, one per flush, and one at most a minute when idle', () => {
    const path = tempFile();
    const sink = enableJsonLinesTelemetry({ path, intervalMs: 60_000 });
    defer(() => disableJsonLinesTelemetry());
    createWebSocketManager('u');
    expect(sink.flush()).toBe(1); // the use line; the observation line is not counted
    createWebSocketManager('u');
    expect(sink.flush()).toBe(1);
    expect(sink.flush()).toBe(0); // idle, and observed less than a minute ago: nothing written
    const lines = read(path);
    expect(lines.map((l) => l.kind ?? l.code)).toEqual([
      'UWS004',
      'observation',
      'UWS004',
      'observation',
    ]);
    const observation = lines[1] as unknown as ObservationLine;
    expect(observation).toEqual({
      kind: 'observation',
      from: expect.stringMatching(ISO),
      to: expect.stringMatching(ISO),
      version: '0.1.0',
      pid: process.pid,
      host: expect.any(String),
    });
    expect(observation.from <= observation.to).toBe(true);
    const later = lines[3] as unknown as ObservationLine;
    expect(later.from).toBe(observation.from); // the sink's start, on every line
    expect(later.to >= observation.to).toBe(true);

    disableJsonLinesTelemetry(); // the last flush always observes
    expect(read(path).map((l) => l.kind ?? l.code)).toHaveLength(5);
  });

  it('is written by a process that uses no legacy code at all, at its first flush and at exit', () => {
    const path = tempFile();
    const dist = join(__dirname, '..', '..', 'dist', 'src', 'index.js');
    const result = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(dist)}); setTimeout(() => undefined, 50);`],
      { encoding: 'utf8', env: { ...process.env, [TELEMETRY_FILE_ENV]: path } },
    );
    expect(result.status).toBe(0);
    const lines = read(path);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.every((l) => l.kind === 'observation' && l.pid === result.pid)).toBe(true);
  });
});
