/**
 * The local WebSocket gateway with the real authorizer and handlers, DynamoDB Local and real
 * `ws` clients; its management API driven by the AWS SDK's own client.
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { getConnection, listUserConnections } from '../../../../shared/data/connections';
import { useTestTable } from '../../../../test/support/table';
import { openSocket, RefusedUpgrade, useLocalWebSocket, type TestSocket } from '../../../../test/support/ws';
import { policyAllows, startLocalWebSocket, type LimitTimers, type LocalWebSocket } from './gateway';

const ws = useLocalWebSocket();
useTestTable();

let n = 0;
const user = () => `ws-user-${(n += 1)}`;
const sdk = () => new ApiGatewayManagementApiClient({ endpoint: ws.gateway.managementEndpoint });

/** Timers that fire only when the test moves their clock on. */
const manualTimers = () => {
  let now = 0;
  const due = new Set<{ at: number; fn: () => void }>();
  const timers: LimitTimers = {
    set: (fn, ms) => {
      const t = { at: now + ms, fn };
      due.add(t);
      return t;
    },
    clear: (t) => void due.delete(t as { at: number; fn: () => void }),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of [...due].sort((a, b) => a.at - b.at)) {
      if (t.at > now || !due.has(t)) continue;
      due.delete(t);
      t.fn();
    }
  };
  return { timers, advance };
};

describe('Connecting', () => {
  it('runs the authorizer and $connect: the connection is stored for the token user with a 2-hour TTL', async () => {
    const userId = user();
    const before = Math.floor(Date.now() / 1000);
    const socket = await ws.connect({ userId });
    const [c] = await listUserConnections(userId);
    expect(c).toMatchObject({ userId, connectionId: expect.stringMatching(/^[A-Za-z0-9+/]{15}=$/) });
    expect(c!.expiresAt - before).toBeGreaterThanOrEqual(7200);
    expect(c!.expiresAt - before).toBeLessThanOrEqual(7202);
    expect(ws.gateway.connections()).toContain(c!.connectionId);
    expect(await getConnection(c!.connectionId)).toEqual(c);
    await socket.close();
    // $disconnect removes both items
    await ws.disconnected(c!.connectionId);
    expect(await listUserConnections(userId)).toEqual([]);
    expect(await getConnection(c!.connectionId)).toBeUndefined();
  });

  it('refuses the upgrade with 401 without a token or with a bad one, storing nothing', async () => {
    const userId = user();
    await expect(openSocket(ws.gateway.url)).rejects.toEqual(new RefusedUpgrade(401));
    await expect(openSocket(ws.gateway.url, 'garbage')).rejects.toEqual(new RefusedUpgrade(401));
    const expired = await ws.token(userId, ['student'], { now: new Date(Date.now() - 7_200_000), expiresIn: 60 });
    await expect(openSocket(ws.gateway.url, expired)).rejects.toEqual(new RefusedUpgrade(401));
    const elsewhere = await ws.token(userId, ['student'], { audience: 'another-app' });
    await expect(openSocket(ws.gateway.url, elsewhere)).rejects.toEqual(new RefusedUpgrade(401));
    expect(await listUserConnections(userId)).toEqual([]);
  });

  it('accepts the stage path too, and refuses other paths with 404', async () => {
    const token = await ws.token(user());
    const staged = await openSocket(`${ws.gateway.url}/local`, token);
    await staged.close();
    await expect(openSocket(`${ws.gateway.url}/elsewhere`, token)).rejects.toEqual(new RefusedUpgrade(404));
  });
});

describe('Messages ($default)', () => {
  it('answers ping (text or JSON) with a pong, anything else with an error frame, and stays open', async () => {
    const socket = await ws.connect({ userId: user() });
    socket.send('ping');
    await socket.waitFor((f) => f?.type === 'pong');
    socket.send(JSON.stringify({ type: 'ping' }));
    await socket.waitFor((f) => f?.type === 'pong' && socket.frames.filter((x) => x?.type === 'pong').length === 2);
    socket.send('hello');
    expect(await socket.waitFor((f) => f?.type === 'error')).toEqual({ type: 'error', code: 'UNSUPPORTED_MESSAGE', message: expect.any(String) });
    socket.send('{not json');
    expect(await socket.waitFor((f) => f?.code === 'INVALID_MESSAGE')).toMatchObject({ type: 'error' });
    socket.ws.send(Buffer.from([0xff, 0x00, 0x01]), { binary: true });
    await socket.waitFor((f) => f?.type === 'error' && socket.frames.filter((x) => x?.code === 'UNSUPPORTED_MESSAGE').length === 2);
    socket.send('ping');
    await socket.waitFor((f) => f?.type === 'pong' && socket.frames.filter((x) => x?.type === 'pong').length === 3);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    await socket.close();
  });
});

describe('The management API (@connections), through the AWS SDK', () => {
  it('sends to, describes and closes a connection; a closed one is GoneException', async () => {
    const userId = user();
    const socket = await ws.connect({ userId });
    const connectionId = (await listUserConnections(userId))[0]!.connectionId;
    const client = sdk();
    await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode('{"hello":"world"}') }));
    expect(await socket.waitFor((f) => f?.hello)).toEqual({ hello: 'world' });

    const info = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: expect.any(String) });
    expect(info.LastActiveAt).toBeInstanceOf(Date);

    const closed = new Promise<number>((r) => socket.ws.once('close', (code) => r(code)));
    await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect(await closed).toBe(1000);
    await ws.disconnected(connectionId);
    expect(await listUserConnections(userId)).toEqual([]);

    const post = client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode('late') }));
    await expect(post).rejects.toBeInstanceOf(GoneException);
    await expect(client.send(new GetConnectionCommand({ ConnectionId: connectionId }))).rejects.toBeInstanceOf(GoneException);
    await expect(client.send(new PostToConnectionCommand({ ConnectionId: 'never+/connected=', Data: new Uint8Array([1]) }))).rejects.toMatchObject({
      name: 'GoneException',
      $metadata: { httpStatusCode: 410 },
    });
    client.destroy();
  });

  it('serves the JWKS the authorizer fetches', async () => {
    const res = await fetch(ws.gateway.jwksUrl);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: expect.any(String) });
    // the public half only
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('API Gateway limits', () => {
  it('closes a connection idle for too long; a message keeps one open', async () => {
    const clock = manualTimers();
    // Its own $default echoes through this gateway's management API (which answers 410 for a
    // connection that is not open): an echo received proves the connection was open then.
    const quick: LocalWebSocket = await startLocalWebSocket({
      log: false,
      idleTimeoutMs: 300,
      timers: clock.timers,
      handlers: {
        $default: async (event: { requestContext: { connectionId: string } }) => {
          const res = await fetch(`${quick.managementEndpoint}/@connections/${encodeURIComponent(event.requestContext.connectionId)}`, { method: 'POST', body: 'echo' });
          return { statusCode: res.status };
        },
      },
    });
    const echoes = (s: TestSocket) => s.frames.filter((f) => f === 'echo').length;
    try {
      const token = await ws.token(user());
      const idle = await openSocket(quick.url, token);
      const kept = await openSocket(quick.url, token);
      const keptId = quick.connections()[1]!;
      const idleClosed = new Promise<number>((r) => idle.ws.once('close', (code) => r(code)));
      const keptClosed = new Promise<number>((r) => kept.ws.once('close', (code) => r(code)));
      /** Sends to the kept connection through the management API: 200 and the frame arrives while it is open. */
      let probes = 0;
      const stillOpen = async () => {
        probes += 1;
        const res = await fetch(`${quick.managementEndpoint}/@connections/${encodeURIComponent(keptId)}`, { method: 'POST', body: `probe ${probes}` });
        expect(res.status).toBe(200);
        await kept.waitFor((f) => f === `probe ${probes}`);
        expect(kept.ws.readyState).toBe(kept.ws.OPEN);
      };

      clock.advance(200);
      kept.send('ping');
      await kept.waitFor(() => echoes(kept) === 1);
      // 400 ms: the idle one's 300 are up; the other's count from its message at 200.
      clock.advance(200);
      expect(await idleClosed).toBe(1001);
      await stillOpen();
      clock.advance(99);
      await stillOpen();
      // 500 ms: 300 since its message.
      clock.advance(1);
      expect(await keptClosed).toBe(1001);
    } finally {
      await quick.stop();
    }
  });
});

describe('policyAllows', () => {
  const arn = 'arn:aws:execute-api:eu-west-1:000000000000:localws/local/$connect';
  const doc = (...Statement: object[]) => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement } });
  it('needs a matching Allow and no matching Deny', () => {
    expect(policyAllows(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }), arn)).toBe(true);
    expect(policyAllows(doc({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:*:*:localws/*' }), arn)).toBe(true);
    expect(policyAllows(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:eu-west-1:000000000000:other/local/$connect' }), arn)).toBe(false);
    expect(policyAllows(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }), arn)).toBe(false);
    expect(policyAllows(doc(), arn)).toBe(false);
    expect(policyAllows(undefined, arn)).toBe(false);
  });
});
