import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chatPageHandler, type ChatPageOptions } from '../../src/demo/chat-page';
import { tempProject, useCleanup } from '../helpers';

// The plain HTTP side of `serve`: its chat page and the browser build, and nothing else.
const defer = useCleanup();
const ROOT = join(__dirname, '..', '..');

async function pageServer(options: ChatPageOptions): Promise<string> {
  const server: Server = createServer(chatPageHandler(options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("serve's chat page", () => {
  it('tells the page its WebSocket path, as an attribute that cannot break out', async () => {
    const base = await pageServer({ wsPath: '/chat"><script>alert(1)</script>&' });
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toContain(
      '<meta name="unified-ws-path" content="/chat&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#38;" />',
    );
    expect(html).not.toContain('<script>alert(1)');
  });

  it('answers HEAD without a body, and only GET and HEAD', async () => {
    const base = await pageServer({ wsPath: '/ws', root: ROOT });
    const head = await fetch(`${base}/chat.css`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const put = await fetch(`${base}/`, { method: 'PUT', body: 'x' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('says how to get the browser build when it is missing', async () => {
    const root = tempProject(defer, { 'src/demo/chat-page/index.html': '<p>page</p>' });
    const base = await pageServer({ wsPath: '/ws', root });
    expect(await (await fetch(`${base}/`)).text()).toBe('<p>page</p>');
    const missing = await fetch(`${base}/unified-ws/client/index.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('npm run build');
  });
});
