import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { findPackage } from '../deprecation/package-info';
import type { RequestHandler } from '../manager/own-server';

/** Where the page finds the browser build of unified-ws/client: a path of its own. */
export const BROWSER_BUILD_PATH = '/unified-ws/';

export interface ChatPageOptions {
  /** The WebSocket path the page connects to (the manager's `path`). */
  wsPath: string;
  /** The package root that holds src/demo/chat-page and dist/browser. Default: this package's. */
  root?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page runs only its own scripts and styles and talks only to its own origin (`'self'` covers
 * ws: on the same host and port): were payload text ever to reach the page as markup, no script
 * in it would run.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A file of the browser build: lower-case path segments, no dots but the extension's. */
const BUILD_FILE = /^(?:[a-z0-9-]+\/)*[a-z0-9-]+\.js(?:\.map)?$/;

const PAGE_FILES: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/chat.css': 'chat.css',
  '/chat.js': 'chat.js',
};

/** Text for an HTML attribute value in double quotes. */
function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The plain HTTP side of `unified-ws serve`: the chat page at `/` (src/demo/chat-page, shipped in
 * the package) and the browser build of unified-ws/client under BROWSER_BUILD_PATH (dist/browser),
 * served as the files they are — the page imports them with no bundler. Only GET and HEAD, only
 * these files; a plain request to the WebSocket path is told to upgrade.
 */
export function chatPageHandler(options: ChatPageOptions): RequestHandler {
  const root = options.root ?? findPackage(__dirname).root;
  const pageDir = join(root, 'src', 'demo', 'chat-page');
  const buildDir = join(root, 'dist', 'browser');

  const fileFor = (pathname: string): string | undefined => {
    const page = PAGE_FILES[pathname];
    if (page !== undefined) return join(pageDir, page);
    if (!pathname.startsWith(BROWSER_BUILD_PATH)) return undefined;
    const rest = pathname.slice(BROWSER_BUILD_PATH.length);
    return BUILD_FILE.test(rest) ? join(buildDir, rest) : undefined;
  };

  return (request, response) => {
    void answer(request, response, fileFor, options.wsPath, buildDir).catch(() => {
      if (!response.headersSent) plain(response, 500, 'Internal error.');
      else response.destroy();
    });
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  fileFor: (pathname: string) => string | undefined,
  wsPath: string,
  buildDir: string,
): Promise<void> {
  const pathname = (request.url ?? '/').split('?')[0] as string;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return plain(response, 405, 'Method not allowed.');
  }
  if (pathname === wsPath) return plain(response, 426, 'This endpoint speaks WebSocket.');
  const file = fileFor(pathname);
  if (file === undefined) return plain(response, 404, 'Not found.');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return plain(
      response,
      404,
      file.startsWith(buildDir)
        ? 'Not found: the browser build is missing (run "npm run build").'
        : 'Not found.',
    );
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  if (type.startsWith('text/html')) {
    body = Buffer.from(body.toString('utf8').replace('{{WS_PATH}}', escapeAttribute(wsPath)));
    response.setHeader('Content-Security-Policy', PAGE_POLICY);
  }
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}
