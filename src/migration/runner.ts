import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { FileStatus } from './codemod/legacy-to-canonical';
import { resolverFor } from './codemod/load-manifest';
import { DEFAULT_IGNORES, sourceFiles } from './codemod/discovery';
import type { ProcessOptions, ProcessedFile } from './codemod/process-file';
import { RunnerError } from '../errors/runner-error';
import { processBatch, type WorkerRequest, type WorkerResponse } from './runner-worker';

export interface RunnerOptions extends ProcessOptions {
  /** The directory to migrate. */
  root: string;
  /** Worker processes for the candidates. Default: available cores, at most 4; 1 runs in process. */
  workers?: number;
  /** Candidate files per message to a worker. Default 64. */
  batchSize?: number;
  /** Directory names never entered. Default: node_modules .git dist build coverage .unified-ws. */
  ignoreDirectories?: readonly string[];
}

export interface RunnerReport {
  /** Source files read. */
  scanned: number;
  /** Files the text prefilter kept for parsing. */
  candidates: number;
  /** One result per candidate, paths relative to root, sorted. */
  files: ProcessedFile[];
  counts: Record<FileStatus, number>;
  elapsedMs: number;
}

/**
 * Applies a codemod to a tree: a text prefilter over every file (only files that mention a legacy
 * module, or for the reverse the canonical one, are parsed), one parse per candidate for every
 * manifest entry, worker processes when there is enough to share, atomic writes.
 */
export async function runCodemod(options: RunnerOptions): Promise<RunnerReport> {
  const started = performance.now();
  const {
    root,
    workers: wanted,
    batchSize = 64,
    ignoreDirectories = DEFAULT_IGNORES,
    ...processOptions
  } = options;
  const shared: ProcessOptions = { root, ...processOptions };
  const resolver = resolverFor(shared);
  const needles =
    shared.direction === 'canonical-to-legacy' ? [resolver.manifest.canonical] : resolver.needles;
  const files = sourceFiles(root, new Set(ignoreDirectories));
  const candidates = files.filter((file) => {
    const text = readFileSync(file, 'utf8');
    return needles.some((needle) => text.includes(needle));
  });
  const workers = Math.max(
    1,
    Math.min(
      wanted ?? Math.min(availableParallelism(), 4),
      Math.ceil(candidates.length / batchSize),
    ),
  );
  const script = join(__dirname, 'runner-worker.js');
  const results =
    workers > 1 && existsSync(script)
      ? await inWorkers(script, shared, candidates, workers, batchSize)
      : processBatch(shared, candidates);
  const counts: Record<FileStatus, number> = {
    changed: 0,
    unchanged: 0,
    marker: 0,
    'parse-error': 0,
  };
  for (const result of results) counts[result.status]++;
  return {
    scanned: files.length,
    candidates: candidates.length,
    files: results
      .map((r) => ({ ...r, path: relative(root, r.path) }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    counts,
    elapsedMs: performance.now() - started,
  };
}

/** Shares candidates among worker processes, a batch at a time, so none sits idle. */
function inWorkers(
  script: string,
  options: ProcessOptions,
  paths: readonly string[],
  count: number,
  batchSize: number,
): Promise<ProcessedFile[]> {
  const queue = [...paths];
  const results: ProcessedFile[] = [];
  return new Promise((resolve, reject) => {
    let running = count;
    const children: ChildProcess[] = [];
    const next = (child: ChildProcess) => {
      const batch = queue.splice(0, batchSize);
      const request: WorkerRequest =
        batch.length > 0 ? { type: 'batch', options, paths: batch } : { type: 'stop' };
      child.send(request);
    };
    for (let i = 0; i < count; i++) {
      const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      child.on('message', (response: WorkerResponse) => {
        results.push(...response.results);
        next(child);
      });
      child.on('exit', (code) => {
        if (code !== 0 && code !== null) {
          for (const other of children) other.kill();
          reject(new RunnerError(`a codemod worker exited with code ${code}`));
          return;
        }
        if (--running === 0) resolve(results);
      });
      next(child);
    }
  });
}
