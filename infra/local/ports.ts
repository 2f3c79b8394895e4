import type { IncomingMessage } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';

/** A port that is free on 127.0.0.1 right now (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/**
 * Listens on host:port (port 0: any free port). A taken port is a clear error; `hint` says
 * which setting moves it (e.g. "start with PORT=<another port>").
 */
export const listen = (server: Server, port: number, host = '127.0.0.1', hint = 'stop what runs there, or start with PORT=<another port>'): Promise<AddressInfo> =>
  new Promise((resolveListen, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new Error(`Port ${port} on ${host} is already in use: ${hint}`));
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolveListen(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

/** `host:port` of a listening address, IPv6 in brackets, as URLs need it. */
export const hostPort = (address: AddressInfo): string => `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

/** The http:// origin of a listening address. */
export const httpOrigin = (address: AddressInfo): string => `http://${hostPort(address)}`;

/** A request body over the reader's limit; each server answers it in its own wire format. */
export class BodyTooLargeError extends Error {}

/**
 * Reads a request body, refusing (without keeping) anything past `limit` bytes: it rejects
 * with BodyTooLargeError as soon as the limit is passed and drains the rest unread.
 */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolveBody(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
  });
