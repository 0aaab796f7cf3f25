import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  configureDeprecations,
  deprecatedModule,
  deprecationSnapshot,
  registerDeprecations,
  resetDeprecations,
  TELEMETRY_FILE_ENV,
  type DeprecatedModule,
  type TelemetryLine,
} from '../../src/deprecation/index';
import { isManifestError } from '../../src/errors/manifest-error';
import { parseManifest } from '../../src/manifest/from-json';
import { isRegistrationError } from '../../src/errors/registration-error';
import { tempProject, useCleanup } from '../helpers';

// deprecatedModule(): the one call of a shim that `unified-ws shim` generates for a team's own
// legacy module. In process for validation and registration; in a child process, on the built
// package, for what an application sees: one warning, every use counted, a telemetry line.

const HUB: DeprecatedModule = {
  package: '@acme/chat-backend',
  canonical: 'unified-ws',
  code: 'ACME001',
  files: ['src/realtime/socket-hub.ts', 'src/realtime/index.ts'],
  summary: 'Our hand-rolled socket hub.',
  since: '1.0.0',
  removeIn: '3.0.0',
  exports: [
    {
      name: 'SocketHub',
      rewrite: 'rename',
      canonical: 'WebSocketManager',
      replacement: "import { WebSocketManager } from 'unified-ws'",
    },
  ],
};

const count = (code: string) =>
  deprecationSnapshot().codes.find((c) => c.code === code)?.count ?? 0;

describe('deprecatedModule', () => {
  const defer = useCleanup();

  beforeEach(() => {
    resetDeprecations();
    configureDeprecations({ policy: 'silent' });
  });

  it('registers the entry and counts one use per call; the same declaration again is fine', () => {
    deprecatedModule(HUB);
    deprecatedModule({ ...HUB, exports: [...HUB.exports] });
    expect(count('ACME001')).toBe(2);
    expect(deprecationSnapshot().codes.find((c) => c.code === 'ACME001')?.entryPoint).toBe(
      'src/realtime/socket-hub.ts',
    );
  });

  it('agrees with registerDeprecations of the whole manifest (an entry of its own package too)', () => {
    const { package: pkg, canonical, ...entry } = HUB;
    registerDeprecations(
      parseManifest({
        package: '@acme/other',
        canonical: '@acme/elsewhere',
        entries: [{ ...entry, package: pkg, canonical }],
      }),
    );
    expect(() => deprecatedModule(HUB)).not.toThrow();
    expect(count('ACME001')).toBe(1);
  });

  it('displays the warning once, with the code and the replacement', () => {
    configureDeprecations({ policy: 'warn' });
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    defer(() => spy.mockRestore());
    deprecatedModule(HUB);
    deprecatedModule(HUB);
    expect(spy).toHaveBeenCalledTimes(1);
    const [warning] = spy.mock.calls[0] as [Error & { code?: string }];
    expect(warning).toMatchObject({ name: 'DeprecationWarning', code: 'ACME001' });
    expect(warning.message).toBe(
      "src/realtime/socket-hub.ts is deprecated: SocketHub → import { WebSocketManager } from 'unified-ws'. Run `unified-ws migrate --manifest <manifest>`.",
    );
  });

  it('refuses a code registered with other data, or a code of the built-in manifest', () => {
    deprecatedModule(HUB);
    const refusals = [
      { ...HUB, summary: 'Something else.' },
      { ...HUB, canonical: '@acme/realtime' },
      { ...HUB, code: 'UWS001' },
    ].map((declaration) => {
      try {
        deprecatedModule(declaration);
        return undefined;
      } catch (error) {
        return error;
      }
    });
    for (const error of refusals) {
      expect(isRegistrationError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'UWS_ERR_DEPRECATION_CONFLICT' });
    }
    expect((refusals[0] as Error).message).toMatch(
      /^deprecation code ACME001 is already registered for src\/realtime\/socket-hub\.ts with other data/,
    );
    expect((refusals[2] as Error).message).toContain(
      'UWS001 is already registered for unified-ws/websocket-core/unified-manager (unified-ws)',
    );
    expect(count('ACME001')).toBe(1);
  });

  it('validates the declaration as a manifest entry, every problem at once', () => {
    const invalid = {
      ...HUB,
      code: 'acme',
      removeIn: '0.1.0',
      exports: [{ name: 'SocketHub', rewrite: 'rename' }],
    } as unknown as DeprecatedModule;
    let error: unknown;
    try {
      deprecatedModule(invalid);
    } catch (caught) {
      error = caught;
    }
    expect(isManifestError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UWS_ERR_MANIFEST_INVALID' });
    expect((error as { problems: string[] }).problems).toEqual([
      '$.entries[0].code: "acme" must look like UWS001 (capitals, ending in digits)',
      '$.entries[0].removeIn: 0.1.0 must be later than since (1.0.0)',
      '$.entries[0].exports[0].canonical: required for rewrite "rename"',
      '$.entries[0].exports[0].replacement: must be a non-empty string',
    ]);
    expect(() => deprecatedModule(null as unknown as DeprecatedModule)).toThrow(
      /deprecatedModule\(…\) is not a valid manifest/,
    );
  });

  it('in an application: one warning, every shim counted, telemetry attributed to the importer', () => {
    const dist = join(__dirname, '..', '..', 'dist', 'src', 'index.js');
    const shim = (file: string) =>
      `const { deprecatedModule } = require(${JSON.stringify(dist)});\ndeprecatedModule(${JSON.stringify({ ...HUB, files: HUB.files })});\nexports.file = ${JSON.stringify(file)};\n`;
    const dir = tempProject(defer, {
      'shim-a.js': shim('a'),
      'shim-b.js': shim('b'),
      'app.js': [
        "const warnings = [];\nprocess.on('warning', (w) => warnings.push(`${w.name} ${w.code}`));",
        "require('./shim-a');",
        "require('./shim-b');",
        "require('./shim-a'); // cached: the module ran once",
        'setImmediate(() => process.stdout.write(JSON.stringify(warnings)));',
        '',
      ].join('\n'),
    });
    const telemetry = join(dir, 'telemetry.jsonl');
    const result = spawnSync(process.execPath, ['app.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, [TELEMETRY_FILE_ENV]: telemetry, UNIFIED_WS_DEPRECATIONS: '' },
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['DeprecationWarning ACME001']);
    const lines = readFileSync(telemetry, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TelemetryLine | { kind: string })
      .filter((line): line is TelemetryLine => !('kind' in line)); // not the observation lines
    expect(
      lines.map(({ code, entryPoint, site, count: n, removeIn }) => ({
        code,
        entryPoint,
        site,
        count: n,
        removeIn,
      })),
    ).toEqual([
      {
        code: 'ACME001',
        entryPoint: 'src/realtime/socket-hub.ts',
        site: 'app.js:3:1',
        count: 1,
        removeIn: '3.0.0',
      },
      {
        code: 'ACME001',
        entryPoint: 'src/realtime/socket-hub.ts',
        site: 'app.js:4:1',
        count: 1,
        removeIn: '3.0.0',
      },
    ]);
  });

  it("is removed when the team's own package reaches removeIn, whatever unified-ws's version", () => {
    // The shim sits in the team's package: its package.json gives the running version.
    const dist = join(__dirname, '..', '..', 'dist', 'src', 'index.js');
    const run = (teamVersion: string, unifiedWsVersion: string) => {
      const dir = tempProject(defer, {
        'package.json': JSON.stringify({ name: HUB.package, version: teamVersion }),
        'src/realtime/socket-hub.js': `const { configureDeprecations, deprecatedModule } = require(${JSON.stringify(dist)});\nconfigureDeprecations({ version: ${JSON.stringify(unifiedWsVersion)}, policy: 'silent' });\ndeprecatedModule(${JSON.stringify(HUB)});\n`,
        'app.js':
          "try { require('./src/realtime/socket-hub'); console.log('loaded'); } catch (error) { console.log(error.code); }\n",
      });
      return spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    };
    expect(run('2.9.0', '9.0.0')).toBe('loaded');
    expect(run('3.0.0', '0.1.0')).toBe('UWS_ERR_REMOVED');
  });

  it("takes the versions of a team's packages from configureDeprecations, checked", () => {
    deprecatedModule(HUB);
    configureDeprecations({ versions: { [HUB.package]: '3.1.0' } });
    expect(() => deprecatedModule(HUB)).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_REMOVED' }),
    );
    expect(() => configureDeprecations({ versions: { [HUB.package]: 'soon' } })).toThrow(
      expect.objectContaining({ code: 'UWS_ERR_INVALID_OPTION' }),
    );
  });
});
