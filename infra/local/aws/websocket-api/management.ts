/** The management API the SDK's ApiGatewayManagementApiClient calls: POST (send), GET (info), DELETE (close) on /@connections/{id}; and the JWKS. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';
import { BodyTooLargeError, readBody } from '../../ports';
import { isUtf8, MAX_MESSAGE_BYTES, type Live } from './events';

const CONNECTION_PATH = /^(?:\/[^/]+)?\/@connections\/([^/]+)\/?$/;

export interface ManagementOptions {
  live: ReadonlyMap<string, Live>;
  jwks?: () => Promise<unknown>;
  log: (line: string) => void;
}

export const createManagementApi = (opts: ManagementOptions) => {
  const { live, log } = opts;

  const management = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        ...(text ? { 'content-type': 'application/json' } : {}),
        'x-amzn-requestid': randomUUID(),
        ...headers,
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    };
    // What the SDK turns into GoneException: 410 with the error type in x-amzn-ErrorType.
    const gone = () => send(410, { message: null }, { 'x-amzn-errortype': 'GoneException' });

    if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
      if (!opts.jwks) return send(404, { message: 'Not Found' });
      return send(200, await opts.jwks(), { 'cache-control': 'max-age=300' });
    }
    const m = CONNECTION_PATH.exec(url.pathname);
    if (!m) return send(404, { message: 'Not Found' });
    let id: string;
    try {
      id = decodeURIComponent(m[1]!);
    } catch {
      return send(400, { message: 'Invalid connection id' }, { 'x-amzn-errortype': 'BadRequestException' });
    }
    const conn = live.get(id);
    const isOpen = conn?.ws.readyState === WebSocket.OPEN;
    switch (req.method) {
      case 'POST': {
        const body = await readBody(req, MAX_MESSAGE_BYTES).catch((e: unknown) => {
          if (e instanceof BodyTooLargeError) return undefined;
          throw e;
        });
        if (!body) return send(413, { message: `Message too long: at most ${MAX_MESSAGE_BYTES} bytes` }, { 'x-amzn-errortype': 'PayloadTooLargeException' });
        if (!conn || !isOpen) {
          log(`POST /@connections/${id} 410`);
          return gone();
        }
        conn.ws.send(body, { binary: !isUtf8(body) });
        log(`POST /@connections/${id} 200 (${body.length} bytes)`);
        return send(200);
      }
      case 'GET':
        if (!conn || !isOpen) return gone();
        return send(200, {
          connectedAt: new Date(conn.connectedAt).toISOString(),
          identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
          lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
        });
      case 'DELETE':
        if (!conn || !isOpen) return gone();
        conn.ws.close(1000, 'Closed by the server');
        log(`DELETE /@connections/${id} 204`);
        return send(204);
      default:
        return send(404, { message: 'Not Found' });
    }
  };

  return management;
};
