/**
 * The web client as `npm start` serves it: Vite's dev server (modules compiled on request,
 * edits reloaded in the browser), with `/config.json` answered from the local stack's own
 * addresses. Nothing is built beforehand, so a fresh clone needs only `npm ci`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the app reads at `/config.json` (the CDK stack writes the same shape on AWS). */
export interface WebRuntimeConfig {
  apiUrl: string;
  wsUrl: string;
  authority: string;
  clientId: string;
  region?: string;
}

export interface WebServer {
  url: string;
  stop: () => Promise<void>;
}

const root = dirname(fileURLToPath(import.meta.url));

/** Answers GET /config.json; everything else goes on to Vite. */
export const configMiddleware =
  (config: WebRuntimeConfig) =>
  (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.url?.split('?')[0] !== '/config.json') return next();
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(config));
  };

export const startWebServer = async (opts: { port: number; host: string; config: WebRuntimeConfig }): Promise<WebServer> => {
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: `${root}/vite.config.ts`,
    root,
    logLevel: 'warn',
    clearScreen: false,
    server: { port: opts.port, host: opts.host, strictPort: true },
    plugins: [{ name: 'local-config-json', configureServer: (s) => void s.middlewares.use(configMiddleware(opts.config)) }],
  });
  try {
    await server.listen();
  } catch (e) {
    await server.close();
    throw (e as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new Error(`Port ${opts.port} on ${opts.host} is already in use: stop what runs there, or start with WEB_PORT=<another port>`)
      : e;
  }
  const address = server.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://localhost:${port}`, stop: () => server.close() };
};
