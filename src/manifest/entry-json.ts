import type { LegacyExport, LegacyExportJson, ManifestEntry, ManifestEntryJson } from './types';

/**
 * A parsed entry back in the JSON form of a manifest, without the defaults parseManifest fills in
 * (`module: ''`, `why: ''`, `docs` = the code in lower case), so that parsing it again gives the
 * same entry. Keys in the order docs/manifest.md lists them. `unified-ws shim` writes an entry
 * into each shim it generates this way.
 */
export function entryToJson(entry: ManifestEntry): ManifestEntryJson {
  return {
    code: entry.code,
    ...(entry.package === undefined ? {} : { package: entry.package }),
    ...(entry.module === '' ? {} : { module: entry.module }),
    ...(entry.files === undefined ? {} : { files: [...entry.files] }),
    ...(entry.canonical === undefined ? {} : { canonical: entry.canonical }),
    ...(entry.requires === undefined ? {} : { requires: entry.requires }),
    summary: entry.summary,
    ...(entry.why === '' ? {} : { why: entry.why }),
    since: entry.since,
    removeIn: entry.removeIn,
    ...(entry.docs === entry.code.toLowerCase() ? {} : { docs: entry.docs }),
    exports: entry.exports.map(exportToJson),
  };
}

function exportToJson(exp: LegacyExport): LegacyExportJson {
  return {
    name: exp.name,
    rewrite: exp.rewrite,
    ...(exp.canonical === undefined ? {} : { canonical: exp.canonical }),
    replacement: exp.replacement,
    ...(exp.typeOnly ? { typeOnly: true } : {}),
    ...(exp.calls === undefined ? {} : { calls: exp.calls }),
    ...(exp.requires === undefined ? {} : { requires: exp.requires }),
  };
}
