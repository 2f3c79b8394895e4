/** The bench's HTTP client: node:http with keep-alive, timed from request to the last byte. */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { TRACE_HEADER, type Probe, type RequestTrace } from './probe';

export interface HttpResult {
  status: number;
  body: any;
  ms: number;
  trace: RequestTrace;
}

export interface HttpClient {
  request: (method: string, path: string, opts?: { token?: string; body?: unknown }) => Promise<HttpResult>;
  close: () => void;
}

const TIMEOUT_MS = 30_000;

export const httpClient = (port: number, probe: Probe): HttpClient => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const request: HttpClient['request'] = (method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const trace = probe.newTrace();
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const headers: Record<string, string> = { [TRACE_HEADER]: trace.id };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const t0 = performance.now();
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const ms = performance.now() - t0;
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON */
          }
          probe.take(trace.id).then((t) => resolve({ status: res.statusCode ?? 0, body, ms, trace: t ?? trace }), reject);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', (e) => {
        void probe.take(trace.id);
        reject(e);
      });
      req.end(payload);
    });
  return { request, close: () => agent.destroy() };
};
