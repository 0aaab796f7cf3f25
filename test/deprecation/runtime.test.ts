import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  configureDeprecations,
  deprecationSnapshot,
  resetDeprecations,
  POLICY_ENV,
} from '../../src/deprecation/index';
import { devAuthenticate } from '../../src/manager/auth';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { createWebSocketManager } from '../../shims/websocket-core/websocket-manager-factory';
import { LegacyWebSocketManagerAdapter } from '../../shims/websocket-core/protocols';
import { useCleanup } from '../helpers';

const FIXTURE = join(__dirname, '..', 'fixtures', 'use-legacy.js');
const count = (code: string) =>
  deprecationSnapshot().codes.find((c) => c.code === code)?.count ?? 0;

interface Shown {
  name: string | undefined;
  code: string | undefined;
  message: string;
}

/** Records the warnings the runtime hands to Node (a spy that calls through: Node still shows them). */
function captureWarnings(): { shown: () => Shown[]; stop: () => void } {
  const spy = jest.spyOn(process, 'emitWarning');
  // A call Node refused (the sandbox fallback in the runtime) is not a display.
  const shown = () =>
    spy.mock.calls
      .filter((_call, i) => spy.mock.results[i]?.type !== 'throw')
      .map(([warning, options]): Shown => {
        const fields = (typeof warning === 'string' ? options : warning) as
          { type?: string; name?: string; code?: string } | undefined;
        return {
          name: typeof warning === 'string' ? fields?.type : warning.name,
          code: fields?.code,
          message: typeof warning === 'string' ? warning : warning.message,
        };
      });
  return { shown, stop: () => spy.mockRestore() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('deprecation runtime', () => {
  const defer = useCleanup();
  const savedEnv = process.env[POLICY_ENV];

  beforeEach(() => {
    const manager = new WebSocketManager({ authenticate: devAuthenticate });
    defer(() => manager.close());
    resetDeprecations();
  });

  afterEach(() => {
    if (savedEnv === undefined) delete process.env[POLICY_ENV];
    else process.env[POLICY_ENV] = savedEnv;
    resetDeprecations();
    configureDeprecations({ policy: 'silent' });
  });

  it('counts every use and displays each code once, as a DeprecationWarning with the code', async () => {
    const { shown, stop } = captureWarnings();
    defer(stop);
    for (let i = 0; i < 5; i++) createWebSocketManager('u');
    new LegacyWebSocketManagerAdapter().isUserConnected('u');
    await tick();
    expect(count('UWS004')).toBe(5);
    const calls = shown();
    expect(calls.map((w) => [w.name, w.code])).toEqual([
      ['DeprecationWarning', 'UWS004'],
      ['DeprecationWarning', 'UWS005'],
    ]);
    expect(calls[0]?.message).toContain('getWebSocketManager().forUser(ctx)');
    expect(deprecationSnapshot().codes.map((c) => [c.code, c.displayed])).toEqual([
      ['UWS004', true],
      ['UWS005', true],
    ]);
  });

  it('keeps counting under policy silent, and displays nothing', async () => {
    configureDeprecations({ policy: 'silent' });
    const { shown, stop } = captureWarnings();
    defer(stop);
    for (let i = 0; i < 3; i++) createWebSocketManager('u');
    await tick();
    expect(shown()).toEqual([]);
    expect(count('UWS004')).toBe(3);
  });

  it('throws a typed error under policy throw, after counting the use', () => {
    configureDeprecations({ policy: 'silent', codes: { UWS004: 'throw' } });
    expect(() => createWebSocketManager('u')).toThrow(
      expect.objectContaining({
        name: 'DeprecatedUseError',
        code: 'UWS_ERR_DEPRECATED_USE',
        deprecation: 'UWS004',
      }),
    );
    expect(() => createWebSocketManager('u')).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_DEPRECATED_USE' }),
    );
    expect(new LegacyWebSocketManagerAdapter().getConnectionCount()).toBe(0); // UWS005 stays silent
    expect(count('UWS004')).toBe(2);
  });

  it.each([
    ['throw', 'UWS004', true],
    ['UWS004=throw,*=silent', 'UWS004', true],
    ['UWS004=throw,*=silent', 'UWS005', false],
    ['uws005=THROW', 'UWS005', true],
  ])(
    'reads %s from UNIFIED_WS_DEPRECATIONS (%s throws: %s), over the options',
    (value, code, throws) => {
      process.env[POLICY_ENV] = value;
      resetDeprecations();
      configureDeprecations({ policy: 'silent', codes: { UWS004: 'silent', UWS005: 'silent' } });
      const use = () =>
        code === 'UWS004'
          ? createWebSocketManager('u')
          : new LegacyWebSocketManagerAdapter().getConnectionCount();
      if (throws)
        expect(use).toThrow(
          expect.objectContaining({ code: 'UWS_ERR_DEPRECATED_USE', deprecation: code }),
        );
      else expect(use).not.toThrow();
    },
  );

  it('warns about an unreadable UNIFIED_WS_DEPRECATIONS instead of failing', async () => {
    const { shown, stop } = captureWarnings();
    defer(stop);
    process.env[POLICY_ENV] = 'UWS004=explode,not a code=warn';
    resetDeprecations();
    await tick();
    expect(shown().map((w) => w.code)).toContain('UWS_BAD_POLICY_ENV');
  });

  it.each([
    ['1.9.9', false],
    ['2.0.0-beta.1', false],
    ['2.0.0', true],
    ['3.1.0', true],
  ])('at version %s, use throws UWS_ERR_REMOVED: %s', (version, removed) => {
    configureDeprecations({ policy: 'silent', version: () => version });
    if (!removed) {
      expect(() => createWebSocketManager('u')).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      createWebSocketManager('u');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'UWS_ERR_REMOVED',
      deprecation: 'UWS004',
      name: 'DeprecatedUseError',
    });
    const { message } = error as Error;
    expect(message).toContain('getWebSocketManager().forUser(ctx)');
    expect(message).toContain('legacy-to-canonical');
    expect(message).toContain('removed in 2.0.0');
  });

  it('captures the call site of the first uses, then samples, attributing every use to a site', () => {
    configureDeprecations({ policy: 'silent', sampleFirst: 2, sampleEvery: 10 });
    const first = () => createWebSocketManager('u');
    const second = () => createWebSocketManager('u');
    for (let i = 0; i < 5; i++) first();
    for (let i = 0; i < 20; i++) second();
    const snapshot = deprecationSnapshot().codes.find((c) => c.code === 'UWS004');
    expect(snapshot?.count).toBe(25);
    const sites = snapshot?.sites ?? [];
    expect(
      sites.every((s) => s.site.startsWith(join('test', 'deprecation', 'runtime.test.ts'))),
    ).toBe(true);
    expect(sites.reduce((sum, s) => sum + s.count, 0)).toBe(25);
    expect(sites.length).toBe(2);
  });

  it('counts the import of a legacy module as a use, at the importing line', () => {
    // A fresh module registry: the shim and the runtime it reports to are both loaded anew.
    let snapshot: ReturnType<typeof deprecationSnapshot>['codes'][number] | undefined;
    jest.isolateModules(() => {
      const runtime =
        require('../../src/deprecation/index') as typeof import('../../src/deprecation/index');
      runtime.configureDeprecations({ policy: 'silent' });
      require('../../shims/websocket-core/unified-manager');
      snapshot = runtime.deprecationSnapshot().codes.find((c) => c.code === 'UWS001');
    });
    expect(snapshot?.count).toBe(1);
    expect(snapshot?.sites[0]?.site).toMatch(/runtime\.test\.ts:\d+:\d+$/);
  });
});

describe("Node's deprecation flags", () => {
  const run = (flags: string[]) =>
    spawnSync(process.execPath, [...flags, FIXTURE], {
      encoding: 'utf8',
      env: { ...process.env, [POLICY_ENV]: '' },
    });
  const displays = (stderr: string) => stderr.split('[UWS004] DeprecationWarning').length - 1;

  // The import of the shim is one use, then three calls.
  it('displays once by default, a Deprecation object, and counts every use', () => {
    const result = run([]);
    expect(result.status).toBe(0);
    expect(displays(result.stderr)).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      codes: [{ code: 'UWS004', count: 4 }],
      warnings: [{ name: 'DeprecationWarning', code: 'UWS004', type: 'Deprecation' }],
    });
  });

  it.each([
    ['--no-deprecation'],
    ['--disable-warning=UWS004'],
    ['--disable-warning=DeprecationWarning'],
  ])('%s hides the display while counting goes on', (flag) => {
    const result = run([flag]);
    expect(result.status).toBe(0);
    expect(displays(result.stderr)).toBe(0);
    expect(JSON.parse(result.stdout).codes).toEqual([{ code: 'UWS004', count: 4 }]);
  });

  it('--throw-deprecation makes the display an error', () => {
    const result = run(['--throw-deprecation']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('UWS004');
  });

  it('--trace-deprecation prints where the use happened', () => {
    const result = run(['--trace-deprecation']);
    expect(result.stderr).toContain('use-legacy.js');
  });
});
