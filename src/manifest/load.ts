import { readFileSync } from 'node:fs';
import { ManifestError } from '../errors/manifest-error';
import { MANIFEST } from './builtin';
import { parseManifest } from './from-json';
import type { Manifest } from './types';

const manifests = new Map<string, Manifest>();

/**
 * The built-in manifest, or a user's JSON manifest read from `path` (validated once per process).
 * A file that cannot be read is a ManifestError too (UWS_ERR_MANIFEST_INVALID), naming the path.
 */
export function loadManifest(path: string | undefined): Manifest {
  if (path === undefined) return MANIFEST;
  let manifest = manifests.get(path);
  if (!manifest) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ManifestError(path, [`cannot be read: ${(error as Error).message}`]);
    }
    manifest = { ...parseManifest(text, path), file: path };
    manifests.set(path, manifest);
  }
  return manifest;
}
