// A worker process of the codemod runner: receives batches of candidate files, processes each
// (one parse per file for every manifest entry), writes changes atomically, answers with results.
import { processFile, type ProcessOptions, type ProcessedFile } from './codemod/process-file';

export type WorkerRequest =
  { type: 'batch'; options: ProcessOptions; paths: string[] } | { type: 'stop' };
export type WorkerResponse = { type: 'results'; results: ProcessedFile[] };

export function processBatch(options: ProcessOptions, paths: readonly string[]): ProcessedFile[] {
  return paths.map((path) => {
    try {
      return processFile(path, options);
    } catch (error) {
      return {
        path,
        status: 'parse-error',
        codes: [],
        markers: [],
        error: { line: 0, column: 0, message: `could not process: ${(error as Error).message}` },
      };
    }
  });
}

if (require.main === module && process.send) {
  process.on('message', (request: WorkerRequest) => {
    if (request.type === 'stop') {
      process.disconnect();
      return;
    }
    const response: WorkerResponse = {
      type: 'results',
      results: processBatch(request.options, request.paths),
    };
    process.send?.(response);
  });
}
