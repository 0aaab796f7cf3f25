import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import {
  ensureSystemTool,
  MISSING_SYSTEM_TOOL,
  SYSTEM_TOOLS,
  type SystemTool,
} from './system-deps';

// Real executables in real directories: PATH and the node_modules root are passed in, and apt-get
// is never allowed here, so the lookups run as in the global setup without installing anything.
describe('ensureSystemTool', () => {
  const nodeDir = dirname(process.execPath);
  let scratch: string;
  let emptyDir: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'uws-system-deps-'));
    emptyDir = join(scratch, 'empty-bin');
    mkdirSync(emptyDir);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const absent: SystemTool = {
    neededBy: 'the tests of the tests',
    binaries: ['uws-absent-tool', 'uws-absent-tool-alias'],
    debian: 'uws-absent-package',
    brew: 'uws-absent-formula',
  };

  /** A package in `root`/node_modules whose bin/uws-absent-tool is a script printing `output`. */
  function fakePackage(root: string, name: string, output: string, mode = 0o755): string {
    const file = join(root, 'node_modules', name, 'bin', 'uws-absent-tool');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `#!/bin/sh\necho ${output}\n`);
    chmodSync(file, mode);
    return file;
  }

  function thrown(run: () => unknown): Error & { code?: unknown } {
    try {
      run();
    } catch (error) {
      return error as Error & { code?: unknown };
    }
    throw new Error('expected a throw');
  }

  it('returns the path of a binary on PATH, trying the names in order', () => {
    const tool: SystemTool = { ...absent, binaries: ['uws-absent-tool', 'node'] };
    const found = ensureSystemTool(tool, { path: [emptyDir, nodeDir].join(delimiter), apt: false });
    expect(found).toBe(join(nodeDir, 'node'));
    const run = spawnSync(found, ['--version'], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(process.version);
  });

  it('takes the binary from an npm package in node_modules, searched up from the root', () => {
    const root = join(scratch, 'project');
    const file = fakePackage(root, 'uws-fake-tool', 'from-npm');
    const nested = join(root, 'packages', 'app');
    mkdirSync(nested, { recursive: true });
    const tool: SystemTool = {
      ...absent,
      npm: { package: 'uws-fake-tool', executable: 'bin/uws-absent-tool' },
    };
    for (const from of [root, nested]) {
      const found = ensureSystemTool(tool, { path: emptyDir, root: from, apt: false });
      expect(found).toBe(file);
      expect(spawnSync(found, [], { encoding: 'utf8' }).stdout).toBe('from-npm\n');
    }
  });

  it('prefers PATH to node_modules', () => {
    const root = join(scratch, 'both');
    fakePackage(root, 'uws-fake-node', 'from-npm');
    const tool: SystemTool = {
      ...absent,
      binaries: ['node'],
      npm: { package: 'uws-fake-node', executable: 'bin/uws-absent-tool' },
    };
    expect(ensureSystemTool(tool, { path: nodeDir, root, apt: false })).toBe(join(nodeDir, 'node'));
  });

  it('throws one line naming what to install when it is nowhere and apt-get is not allowed', () => {
    // A file that is not executable is not the program: the package must ship a runnable one.
    const root = join(scratch, 'not-executable');
    fakePackage(root, 'uws-fake-tool', 'never', 0o644);
    const tool: SystemTool = {
      ...absent,
      npm: { package: 'uws-fake-tool', executable: 'bin/uws-absent-tool' },
    };
    const error = thrown(() => ensureSystemTool(tool, { path: emptyDir, root, apt: false }));
    expect(error.code).toBe(MISSING_SYSTEM_TOOL);
    expect(error.message).not.toContain('\n');
    expect(error.message).toBe(
      'uws-absent-tool (or uws-absent-tool-alias) is needed by the tests of the tests and is not ' +
        'on PATH: install it (Debian/Ubuntu: apt-get install uws-absent-package; macOS: brew ' +
        'install uws-absent-formula; or npm install --save-dev uws-fake-tool), then run npm ' +
        'test again',
    );
  });

  it('names the Debian package and the brew formula of redis-server', () => {
    const error = thrown(() =>
      ensureSystemTool(SYSTEM_TOOLS.redisServer, { path: emptyDir, root: scratch, apt: false }),
    );
    expect(error.code).toBe(MISSING_SYSTEM_TOOL);
    expect(error.message).toBe(
      'redis-server is needed by the Redis tests and is not on PATH: install it ' +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), then run npm ' +
        'test again',
    );
  });

  it('finds every part of the table after the global setup', () => {
    for (const tool of Object.values(SYSTEM_TOOLS)) {
      const found = ensureSystemTool(tool, { apt: false });
      expect(spawnSync(found, ['--version']).status).toBe(0);
    }
  });
});
