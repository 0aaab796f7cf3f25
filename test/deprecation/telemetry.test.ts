import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  configureDeprecations,
  deprecationSnapshot,
  disableJsonLinesTelemetry,
  enableJsonLinesTelemetry,
  enableOpenTelemetry,
  OTEL_METRIC,
  resetDeprecations,
  TELEMETRY_FILE_ENV,
  type TelemetryLine,
} from '../../src/deprecation/index';
import { createWebSocketManager } from '../../shims/websocket-core/websocket-manager-factory';
import { LegacyWebSocketManagerAdapter } from '../../shims/websocket-core/protocols';
import { devAuthenticate } from '../../src/manager/auth';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { useCleanup } from '../helpers';

const WRITER = join(__dirname, '..', 'fixtures', 'telemetry-writer.js');

function tempFile(defer: (closer: () => unknown) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'uws-telemetry-'));
  defer(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'nested', 'telemetry.jsonl');
}

/** The use lines of a telemetry file (every line parses; observation lines are left out). */
const readLines = (path: string): TelemetryLine[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TelemetryLine | { kind: string })
    .filter((line): line is TelemetryLine => !('kind' in line));

describe('telemetry', () => {
  const defer = useCleanup();

  beforeEach(() => {
    const manager = new WebSocketManager({ authenticate: devAuthenticate });
    defer(() => manager.close());
    resetDeprecations();
    configureDeprecations({ policy: 'silent' });
  });

  describe('snapshot', () => {
    it('lists every code used, with counts and call sites', () => {
      for (let i = 0; i < 3; i++) createWebSocketManager('u');
      new LegacyWebSocketManagerAdapter().isUserConnected('u'); // two uses: the new and the call
      const snapshot = deprecationSnapshot();
      expect(snapshot).toMatchObject({ pid: process.pid, version: '0.1.0' });
      expect(snapshot.codes.map((c) => [c.code, c.count, c.entryPoint])).toEqual([
        ['UWS004', 3, 'unified-ws/websocket-core/websocket-manager-factory'],
        ['UWS005', 2, 'unified-ws/websocket-core/protocols'],
      ]);
      expect(snapshot.codes[0]?.sites[0]?.site).toMatch(/telemetry\.test\.ts:\d+:\d+$/);
    });
  });

  describe('JSON lines', () => {
    it('writes a line per code and call site with every field, and deltas on later flushes', () => {
      const path = tempFile(defer);
      const sink = enableJsonLinesTelemetry({ path, intervalMs: 60_000 });
      defer(() => disableJsonLinesTelemetry());
      for (let i = 0; i < 4; i++) createWebSocketManager('u');
      expect(sink.flush()).toBe(1);
      for (let i = 0; i < 2; i++) createWebSocketManager('u'); // another call site
      expect(sink.flush()).toBe(1);
      expect(sink.flush()).toBe(0);
      const lines = readLines(path);
      expect(lines.map((l) => l.count)).toEqual([4, 2]);
      expect(lines[0]).toEqual({
        code: 'UWS004',
        entryPoint: 'unified-ws/websocket-core/websocket-manager-factory',
        site: expect.stringMatching(/telemetry\.test\.ts:\d+:\d+$/),
        count: 4,
        firstSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        removeIn: '2.0.0',
        version: '0.1.0',
        pid: process.pid,
        host: expect.any(String),
      });
    });

    it('flushes periodically, and at exit from UNIFIED_WS_TELEMETRY_FILE alone', async () => {
      const path = tempFile(defer);
      const child = spawn(process.execPath, [WRITER, '200'], {
        env: { ...process.env, [TELEMETRY_FILE_ENV]: path },
        stdio: 'ignore',
      });
      expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
      const lines = readLines(path);
      expect(lines.length).toBeGreaterThan(2); // several periodic flushes, not one at exit
      expect(lines.reduce((sum, l) => sum + l.count, 0)).toBe(201); // the import and 200 calls
      expect(new Set(lines.map((l) => l.site)).size).toBeGreaterThanOrEqual(2);
    });

    it('keeps every line whole when many processes write to one file at once', async () => {
      const path = tempFile(defer);
      const writers = Array.from({ length: 6 }, () =>
        spawn(process.execPath, [WRITER, '400'], {
          env: { ...process.env, [TELEMETRY_FILE_ENV]: path },
          stdio: 'ignore',
        }),
      );
      const codes = await Promise.all(
        writers.map((child) => new Promise((resolve) => child.on('close', resolve))),
      );
      expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
      const lines = readLines(path); // throws on a torn line
      expect(new Set(lines.map((l) => l.pid)).size).toBe(6);
      expect(lines.reduce((sum, l) => sum + l.count, 0)).toBe(6 * 401);
    });

    it('needs a path, and never throws into the application when the file cannot be written', () => {
      const saved = process.env[TELEMETRY_FILE_ENV];
      delete process.env[TELEMETRY_FILE_ENV];
      defer(() => {
        if (saved !== undefined) process.env[TELEMETRY_FILE_ENV] = saved;
      });
      expect(() => enableJsonLinesTelemetry()).toThrow(
        expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }),
      );
      const file = tempFile(defer);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(join(dirname(file), 'a-file'), 'not a directory');
      const sink = enableJsonLinesTelemetry({
        path: join(dirname(file), 'a-file', 'telemetry.jsonl'),
        intervalMs: 60_000,
      });
      defer(() => disableJsonLinesTelemetry());
      createWebSocketManager('u');
      const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      defer(() => spy.mockRestore());
      expect(sink.flush()).toBe(0);
      const proc = enableJsonLinesTelemetry({
        path: '/proc/unified-ws/telemetry.jsonl',
        intervalMs: 60_000,
      });
      createWebSocketManager('u');
      expect(proc.flush()).toBe(0); // fails fast where a recursive mkdir would never return
      expect(spy).toHaveBeenCalledWith(
        expect.stringContaining('could not be written'),
        expect.objectContaining({ code: 'UWS_TELEMETRY_WRITE' }),
      );
    });
  });

  describe('OpenTelemetry', () => {
    it('exports a counter per code with bounded attributes only, through the SDK’s in-memory exporter', async () => {
      const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
      const provider = new MeterProvider({ readers: [reader] });
      defer(() => provider.shutdown());
      const stop = enableOpenTelemetry({ meterProvider: provider });
      defer(stop);
      for (let i = 0; i < 7; i++) createWebSocketManager('u');
      new LegacyWebSocketManagerAdapter().isUserConnected('u'); // two uses: the new and the call
      await reader.forceFlush();
      const metric = exporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics)
        .flatMap((scope) => scope.metrics)
        .find((m) => m.descriptor.name === OTEL_METRIC);
      const points = (metric?.dataPoints ?? []).map((p) => ({
        value: p.value,
        attributes: p.attributes,
      }));
      expect(points).toEqual([
        {
          value: 7,
          attributes: {
            'unified_ws.deprecation.code': 'UWS004',
            'unified_ws.deprecation.entry_point':
              'unified-ws/websocket-core/websocket-manager-factory',
            'unified_ws.deprecation.remove_in': '2.0.0',
          },
        },
        {
          value: 2,
          attributes: {
            'unified_ws.deprecation.code': 'UWS005',
            'unified_ws.deprecation.entry_point': 'unified-ws/websocket-core/protocols',
            'unified_ws.deprecation.remove_in': '2.0.0',
          },
        },
      ]);
    });
  });
});
