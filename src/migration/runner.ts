import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { FileStatus } from './codemod/legacy-to-canonical';
import { resolverFor } from './codemod/load-manifest';
import {
  DEFAULT_IGNORES,
  discoverSourceFiles,
  isRegularFile,
  readListedFile,
} from './codemod/discovery';
import {
  sha256,
  writeAtomically,
  type ProcessOptions,
  type ProcessedFile,
} from './codemod/process-file';
import { RunnerError } from '../errors/runner-error';
import { processBatch, type WorkerRequest, type WorkerResponse } from './runner-worker';
import { canonicalTargetOf } from '../manifest/targets';
import type { Manifest } from '../manifest/types';

export interface RunnerOptions extends ProcessOptions {
  /** The directory to migrate. */
  root: string;
  /**
   * The files to consider (absolute, or relative to root) instead of discovering them. Default: in
   * a git work tree the tracked files plus the untracked ones .gitignore does not ignore (see
   * `untracked`); elsewhere every source file of the tree.
   */
  files?: readonly string[];
  /** In a git work tree, discover untracked (not ignored) files too. Default true. */
  untracked?: boolean;
  /**
   * Processes that share the candidates: this one, and up to `workers - 1` forked workers. Default:
   * the available cores less one (left to V8's compiler and garbage collector threads), at most 4;
   * 1 runs in process only.
   */
  workers?: number;
  /**
   * Candidate files per message to a worker, at most (messages get smaller as the queue empties, so
   * that all processes finish together). Default 16. Workers are forked once four batches' worth of
   * candidates are found — before that this process has done them by itself — or at once in a large
   * tree.
   */
  batchSize?: number;
  /** Directory names never entered. Default: node_modules .git dist build coverage .unified-ws. */
  ignoreDirectories?: readonly string[];
  /**
   * The report of an earlier dry run over the same root, manifest and direction, with codes that
   * include this run's: a file whose text has not changed since, and whose legacy uses all belong
   * to this run's codes, takes that result instead of being parsed again.
   */
  reuse?: RunnerReport;
  /** Aborting stops the workers; the run rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called as candidates are done (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface RunnerReport {
  /** Source files read. */
  scanned: number;
  /** Files the text prefilter kept for parsing. */
  candidates: number;
  /** One result per candidate, paths relative to root, sorted. */
  files: ProcessedFile[];
  counts: Record<FileStatus, number>;
  /** The codes this run applied (undefined: all of the manifest's). */
  codes?: readonly string[];
  direction: NonNullable<ProcessOptions['direction']>;
  /** Candidates whose result was reused from `reuse` rather than parsed again. */
  reused: number;
  /** Worker processes forked (0: every candidate was done in this process). */
  workers: number;
  elapsedMs: number;
}

/** The codes a result names: rewritten ones and marked ones (each legacy use is one or the other). */
export function codesOf(result: ProcessedFile): string[] {
  return [...new Set([...result.codes, ...result.markers.map((m) => m.code)])];
}

/**
 * Processes to share candidates among by default: one core is left to V8's own background threads
 * (compiling hot code, collecting garbage), which a parse-heavy run keeps busy — on two cores a
 * forked worker only takes their core, and the run is slower than in one process. At most 4.
 */
function defaultProcesses(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 4));
}

/** Files in a tree from which workers start before the prefilter has found anything. */
const WARM_START_FILES = 1024;
/** Batches' worth of candidates that make forking workers worth it. */
const BATCHES_FOR_WORKERS = 4;

/**
 * The prefilter: whether a file's bytes contain one of the needles. Needles are grouped by their
 * first bytes, so a file that names none (most files) is scanned once per group, not per needle,
 * and never decoded.
 */
function prefilter(needles: readonly string[]): (bytes: Buffer) => boolean {
  const groups = new Map<string, Buffer[]>();
  for (const needle of needles) {
    const head = needle.slice(0, 8);
    groups.set(head, [...(groups.get(head) ?? []), Buffer.from(needle)]);
  }
  const tests = [...groups].map(([head, full]) => ({ head: Buffer.from(head), full }));
  return (bytes) =>
    tests.some(
      ({ head, full }) => bytes.includes(head) && full.some((needle) => bytes.includes(needle)),
    );
}

/**
 * Applies a codemod to a tree: a text prefilter over every file (only files that mention a legacy
 * module, or for the reverse the canonical one, are parsed), one parse per candidate for every
 * manifest entry, worker processes when there is enough to share (started as soon as there is,
 * while the prefilter reads on), atomic writes.
 */
export async function runCodemod(options: RunnerOptions): Promise<RunnerReport> {
  const started = performance.now();
  const {
    root,
    files: listed,
    untracked = true,
    workers: wanted,
    batchSize = 16,
    ignoreDirectories = DEFAULT_IGNORES,
    reuse,
    signal,
    onProgress,
    ...processOptions
  } = options;
  signal?.throwIfAborted();
  const shared: ProcessOptions = { root, ...processOptions };
  const direction = shared.direction ?? 'legacy-to-canonical';
  const resolver = resolverFor(shared);
  const mentions = prefilter(
    direction === 'canonical-to-legacy' ? canonicalNeedles(resolver.manifest) : resolver.needles,
  );
  const files = listed
    ? listed.map((file) => resolve(root, file))
    : discoverSourceFiles(root, { untracked, ignore: new Set(ignoreDirectories) });
  const reusable = reusableResults(reuse, shared.codes, direction);
  const script = join(__dirname, 'runner-worker.js');
  const processes = wanted ?? defaultProcesses();
  const pool =
    processes > 1 && existsSync(script)
      ? new WorkerPool(script, shared, processes - 1, batchSize, signal)
      : undefined;
  // A large tree: fork the workers now, so that they have loaded when the prefilter has candidates.
  if (pool && files.length >= WARM_START_FILES) pool.start();
  const reused: ProcessedFile[] = [];
  const candidates: string[] = [];
  for (const file of files) {
    const bytes = readListedFile(file);
    if (!bytes || !mentions(bytes) || !isRegularFile(file)) continue;
    const previous = reusable?.get(relative(root, file));
    if (
      previous?.sourceHash !== undefined &&
      previous.sourceHash === sha256(bytes) &&
      codesOf(previous).every((code) => shared.codes === undefined || shared.codes.includes(code))
    ) {
      reused.push({ ...previous, path: file });
      continue;
    }
    candidates.push(file);
    pool?.add([file]);
  }
  // A reused dry-run result carries its output: written here when this run writes.
  if (!shared.dryRun)
    for (const result of reused) {
      if (result.output !== undefined) writeAtomically(result.path, result.output);
      delete result.output;
    }
  const total = candidates.length + reused.length;
  const progress = onProgress && ((done: number) => onProgress(reused.length + done, total));
  onProgress?.(reused.length, total);
  let results: ProcessedFile[];
  if (pool && !pool.started && candidates.length >= BATCHES_FOR_WORKERS * batchSize) pool.start();
  if (pool?.started) results = await pool.share(progress);
  else {
    pool?.dispose();
    results = inProcess(shared, candidates, batchSize, progress);
  }
  const all = [...reused, ...results];
  const counts: Record<FileStatus, number> = {
    changed: 0,
    unchanged: 0,
    marker: 0,
    'parse-error': 0,
  };
  for (const result of all) counts[result.status]++;
  const report: RunnerReport = {
    scanned: files.length,
    candidates: all.length,
    files: all
      .map((r) => ({ ...r, path: relative(root, r.path) }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    counts,
    direction,
    reused: reused.length,
    workers: pool?.size ?? 0,
    elapsedMs: performance.now() - started,
  };
  if (shared.codes) report.codes = [...shared.codes];
  return report;
}

/** The results of an earlier run that may stand for this one's, by relative path. */
function reusableResults(
  reuse: RunnerReport | undefined,
  codes: readonly string[] | undefined,
  direction: string,
): Map<string, ProcessedFile> | undefined {
  if (!reuse || reuse.direction !== direction) return undefined;
  // The earlier run must have applied at least this run's codes.
  if (reuse.codes && (!codes || !codes.every((code) => reuse.codes?.includes(code))))
    return undefined;
  return new Map(reuse.files.map((file) => [file.path, file]));
}

function inProcess(
  options: ProcessOptions,
  paths: readonly string[],
  batchSize: number,
  progress: ((done: number) => void) | undefined,
): ProcessedFile[] {
  const results: ProcessedFile[] = [];
  for (let i = 0; i < paths.length; i += batchSize) {
    results.push(...processBatch(options, paths.slice(i, i + batchSize)));
    progress?.(results.length);
  }
  return results;
}

/**
 * This process and forked workers, sharing a queue of candidates until it is empty. Workers take
 * batches (two in flight each, so that none waits while this process is busy with its own); this
 * process takes a few files at a time between them. Batches shrink as the queue empties, so all
 * finish together. Workers run in a process group of their own: a Ctrl-C reaches the caller, which
 * decides (through the signal) whether they stop. A worker that exits before it was told to is a
 * RunnerError.
 */
class WorkerPool {
  private readonly queue: string[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly inFlight = new Map<ChildProcess, number>();
  private readonly stopping = new Set<ChildProcess>();
  private readonly results: ProcessedFile[] = [];
  private running = 0;
  private closed = false;
  private failure: unknown;
  private progress: ((done: number) => void) | undefined;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private readonly onAbort = () => this.fail(this.signal?.reason);

  constructor(
    private readonly script: string,
    private readonly options: ProcessOptions,
    private readonly max: number,
    private readonly batchSize: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get started(): boolean {
    return this.children.length > 0;
  }

  get size(): number {
    return this.children.length;
  }

  /** Forks the workers (they load their modules while candidates are still being found). */
  start(): void {
    while (this.children.length < this.max) this.spawn();
  }

  /** Candidates for whoever is free. */
  add(paths: readonly string[]): void {
    this.queue.push(...paths);
    this.dispatch();
  }

  /** Never started after all: lets go of the signal. */
  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /**
   * No more candidates will come: this process works through the queue alongside the workers,
   * then waits for theirs. Resolves with every result.
   */
  async share(progress: ((done: number) => void) | undefined): Promise<ProcessedFile[]> {
    this.closed = true;
    this.progress = progress;
    this.dispatch();
    for (;;) {
      // Yield first: results that came in meanwhile are handed out again before this takes more.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.failure !== undefined) throw this.failure;
      if (this.queue.length === 0) break;
      const mine = this.queue.splice(0, Math.min(4, this.queue.length));
      this.results.push(...processBatch(this.options, mine));
      this.progress?.(this.results.length);
    }
    const done = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    if (this.failure !== undefined) throw this.failure;
    this.dispatch();
    await done;
    return this.results;
  }

  private spawn(): void {
    const child = fork(this.script, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    this.children.push(child);
    this.inFlight.set(child, 0);
    this.running++;
    child.on('message', (response: WorkerResponse) => {
      if (this.failure !== undefined) return;
      this.inFlight.set(child, (this.inFlight.get(child) ?? 1) - 1);
      this.results.push(...response.results);
      this.progress?.(this.results.length);
      this.dispatch();
    });
    child.on('error', (error) => this.fail(error));
    child.on('exit', (code, exitSignal) => {
      if (this.failure !== undefined) return;
      if (!this.stopping.has(child) || code !== 0) {
        this.fail(
          new RunnerError(
            `a codemod worker ${exitSignal ? `was killed (${exitSignal})` : `exited with code ${code}`} before it finished its files`,
          ),
        );
        return;
      }
      if (--this.running === 0) {
        this.signal?.removeEventListener('abort', this.onAbort);
        this.settle?.resolve();
      }
    });
  }

  /**
   * Gives each worker with fewer than two batches in flight the next one (smaller as the queue
   * empties); once everything is handed out and done, tells each worker to stop.
   */
  private dispatch(): void {
    if (this.failure !== undefined) return;
    for (const child of this.children) {
      if (this.stopping.has(child)) continue;
      // While candidates are still being found, only full batches go out.
      while (
        (this.inFlight.get(child) ?? 0) < 2 &&
        this.queue.length >= (this.closed ? 1 : this.batchSize)
      ) {
        const fair = Math.ceil(this.queue.length / (2 * (this.children.length + 1)));
        const paths = this.queue.splice(0, Math.max(1, Math.min(this.batchSize, fair)));
        this.inFlight.set(child, (this.inFlight.get(child) ?? 0) + 1);
        child.send({ type: 'batch', options: this.options, paths } satisfies WorkerRequest);
      }
      // Stopped only once this process is done taking from the queue too (settle is set then).
      if (this.settle && this.queue.length === 0 && this.inFlight.get(child) === 0) {
        this.stopping.add(child);
        child.send({ type: 'stop' } satisfies WorkerRequest);
      }
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error ?? new RunnerError('the codemod workers were stopped');
    this.signal?.removeEventListener('abort', this.onAbort);
    for (const child of this.children) child.kill();
    this.settle?.reject(this.failure);
  }
}

/**
 * Texts every file importing a canonical target contains, for the reverse direction: each entry's
 * own target (a package or builtin as written, a repository file by its base name).
 */
function canonicalNeedles(manifest: Manifest): string[] {
  const needles = new Set<string>();
  for (const entry of manifest.entries) {
    const target = canonicalTargetOf(manifest, entry);
    needles.add(
      target.kind === 'file'
        ? (target.path.split('/').at(-1) as string).replace(/\.[cm]?[jt]sx?$/, '')
        : target.specifier,
    );
  }
  return [...needles];
}
