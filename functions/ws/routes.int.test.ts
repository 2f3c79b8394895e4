/**
 * The WebSocket route handlers called directly with API Gateway's events: what each does at
 * the edges the local gateway does not reach (no authorizer context, no management endpoint,
 * malformed events).
 */
import type { Context } from 'aws-lambda';
import { getConnection, listUserConnections } from '../../shared/data/connections';
import type { WsEvent, WsResult } from '../../shared/ws/handler';
import { freePort } from '../../infra/local/ports';
import { useTestTable } from '../../test/support/table';
import { handler as connect } from './connect';
import { handler as disconnect } from './disconnect';
import { handler as onMessage } from './default';

useTestTable();

let n = 0;
const event = (routeKey: '$connect' | '$disconnect' | '$default', over: Partial<WsEvent['requestContext']> = {}, body?: string): WsEvent => ({
  requestContext: {
    routeKey,
    eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
    connectionId: `Conn${(n += 1)}xYz+/A=`,
    connectedAt: Date.now(),
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    stage: 'prod',
    apiId: 'abc123',
    ...over,
  },
  ...(body !== undefined ? { body, isBase64Encoded: false } : {}),
});
const run = (h: unknown, e: unknown) => (h as (e: unknown, c: Context) => Promise<WsResult>)(e, {} as Context);

beforeEach(() => {
  delete process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
  delete process.env.WEBSOCKET_MANAGEMENT_URL;
});

describe('$connect', () => {
  it('stores the connection for the authorizer user, and $disconnect removes it (twice is harmless)', async () => {
    const e = event('$connect', { authorizer: { principalId: 'u-1', userId: 'ws-route-user' } });
    expect(await run(connect, e)).toEqual({ statusCode: 200 });
    const id = e.requestContext.connectionId;
    expect(await getConnection(id)).toMatchObject({ userId: 'ws-route-user', connectionId: id });
    expect(await run(disconnect, event('$disconnect', { connectionId: id }))).toEqual({ statusCode: 200 });
    expect(await run(disconnect, event('$disconnect', { connectionId: id }))).toEqual({ statusCode: 200 });
    expect(await getConnection(id)).toBeUndefined();
    expect(await listUserConnections('ws-route-user')).toEqual([]);
  });

  it('refuses a connection without the authorizer context (401)', async () => {
    expect(await run(connect, event('$connect'))).toEqual({ statusCode: 401 });
  });

  it('answers 400 to something that is not a WebSocket event, without throwing', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await run(connect, {})).toEqual({ statusCode: 400 });
      expect(await run(onMessage, { requestContext: { connectionId: 'x y' } })).toEqual({ statusCode: 400 });
    } finally {
      warn.mockRestore();
    }
  });
});

describe('$default', () => {
  it('without a management endpoint, returns the reply as the route response', async () => {
    expect(await run(onMessage, event('$default', {}, 'ping'))).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
    expect(await run(onMessage, event('$default', {}, ' {"type":"ping","at":1} '))).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
    const junk = await run(onMessage, event('$default', {}, '{"type":"subscribe"}'));
    expect(JSON.parse(junk.body!)).toMatchObject({ type: 'error', code: 'UNSUPPORTED_MESSAGE' });
    const empty = await run(onMessage, event('$default'));
    expect(JSON.parse(empty.body!)).toMatchObject({ type: 'error', code: 'UNSUPPORTED_MESSAGE' });
  });

  it('when the management endpoint is down, still answers (route response), never throws', async () => {
    process.env.WEBSOCKET_MANAGEMENT_URL = `http://127.0.0.1:${await freePort()}/prod`;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await run(onMessage, event('$default', {}, 'ping'))).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
