import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  deprecationSnapshot,
  resetDeprecations,
  configureDeprecations,
} from '../../src/deprecation/index';
import { MANIFEST } from '../../src/manifest/builtin';
import { shimPath } from '../../src/manifest/shim-source';
import { devAuthenticate } from '../../src/manager/auth';
import { WebSocketManager } from '../../src/manager/websocket-manager';
import { useCleanup } from '../helpers';

const ROOT = join(__dirname, '..', '..');

/** Every use an export offers: a call, a `new` and each of its instance methods, each static method. */
async function exercise(value: unknown): Promise<void> {
  const attempt = async (fn: () => unknown) => {
    try {
      await fn();
    } catch {
      // A use with made-up arguments may fail after it was counted; the count is what is checked.
    }
  };
  if (typeof value !== 'function') {
    await attempt(() => (value as { connectionCount(): number }).connectionCount());
    return;
  }
  const target = value as (new (...args: unknown[]) => Record<string, unknown>) &
    Record<string, unknown>;
  const statics = Object.getOwnPropertyNames(target).filter(
    (key) => typeof target[key] === 'function',
  );
  for (const key of statics)
    await attempt(() =>
      (target[key] as (...a: unknown[]) => unknown)({ userId: 'meta', runId: 'r' }),
    );
  if (!target.prototype) {
    await attempt(() => (target as unknown as (...a: unknown[]) => unknown)({ userId: 'meta' }));
    return;
  }
  let instance: Record<string, unknown> | undefined;
  await attempt(() => (instance = Reflect.construct(target, [{ userId: 'meta', runId: 'r' }])));
  for (
    let proto = target.prototype as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || !instance) continue;
      const method = instance[key];
      if (typeof method === 'function')
        await attempt(() => method.call(instance, { userId: 'meta', runId: 'r' }, 'x', '{}'));
    }
  }
}

describe('each legacy entry point counts under its own code', () => {
  const defer = useCleanup();

  beforeEach(() => {
    const manager = new WebSocketManager({ authenticate: devAuthenticate });
    defer(() => manager.close());
    configureDeprecations({ policy: 'silent' });
  });

  afterAll(() => resetDeprecations());

  it.each(MANIFEST.entries.map((e) => [e.code, e] as const))(
    '%s: every use of its shim counts under its own code alone',
    async (_code, entry) => {
      const shim = require(join(ROOT, shimPath(entry))) as Record<string, unknown>;
      resetDeprecations();
      configureDeprecations({ policy: 'silent' });
      for (const legacy of entry.exports.filter((e) => !e.typeOnly))
        await exercise(shim[legacy.name]);
      const counted = deprecationSnapshot().codes.filter((c) => c.count > 0);
      const delegating = entry.exports.some(
        (e) => e.rewrite === 'call-rewrite' || e.rewrite === 'manual',
      );
      // Same-object exports are the canonical objects: only their import counts, and it did (above).
      expect(counted.map((c) => c.code)).toEqual(delegating ? [entry.code] : []);
    },
  );

  it('no source file outside the manifest writes a deprecation code: they all come from it', () => {
    const files: string[] = [];
    const visit = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else if (name.endsWith('.ts')) files.push(path);
      }
    };
    visit(join(ROOT, 'src'));
    const literal = /['"`]UWS\d{3}['"`]/;
    const offenders = files
      .filter((file) => relative(ROOT, file) !== join('src', 'manifest', 'builtin.ts'))
      .filter((file) => literal.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
