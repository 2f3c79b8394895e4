/**
 * The web client as `npm start` serves it: Vite's dev server (modules compiled on request,
 * edits reloaded in the browser), with `/config.json` answered from the local stack's own
 * addresses. Nothing is built beforehand, so a fresh clone needs only `npm ci`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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

/**
 * Vite in middleware mode behind our own HTTP server (hot reload on the same port): a Vite
 * server that listens itself would take over SIGTERM and exit the process, skipping the
 * local stack's own orderly stop.
 */
export const startWebServer = async (opts: { port: number; host: string; config: WebRuntimeConfig }): Promise<WebServer> => {
  const { createServer: createVite } = await import('vite');
  const http = createServer();
  const vite = await createVite({
    configFile: `${root}/vite.config.ts`,
    root,
    logLevel: 'warn',
    clearScreen: false,
    server: { middlewareMode: true, ws: { server: http } },
  });
  const answerConfig = configMiddleware(opts.config);
  http.on('request', (req: IncomingMessage, res: ServerResponse) => answerConfig(req, res, () => vite.middlewares(req, res)));
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port, opts.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await vite.close();
    throw (e as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new Error(`Port ${opts.port} on ${opts.host} is already in use: stop what runs there, or start with WEB_PORT=<another port>`)
      : e;
  }
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://localhost:${port}`,
    stop: async () => {
      await vite.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
};
