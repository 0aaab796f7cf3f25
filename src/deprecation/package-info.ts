import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

export interface PackageInfo {
  root: string;
  version: string;
}

/** Finds this package's root and version by walking up to the package.json named unified-ws. */
export function findPackage(from: string = __dirname): PackageInfo {
  let dir = from;
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (json.name === 'unified-ws' && typeof json.version === 'string')
        return { root: dir + sep, version: json.version };
    } catch {
      // no package.json here: keep walking
    }
    const parent = dirname(dir);
    if (parent === dir) return { root: from + sep, version: '0.0.0' };
    dir = parent;
  }
}

/**
 * The version of the package named `name` that holds `from` (the nearest package.json of that name
 * walking up), or undefined: a team's shim finds its own package this way, for removeIn.
 */
export function packageVersion(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (json.name === name) return typeof json.version === 'string' ? json.version : undefined;
    } catch {
      // no package.json here, or not JSON: keep walking
    }
    if (dirname(dir) === dir) return undefined;
  }
}
