/**
 * The Zoom client against the local emulator (real HTTP on a free port), and against
 * stubbed fetches for the failures the emulator does not produce on demand. No test waits
 * for real: backoff sleeps are injected, token expiry is a clock the test moves.
 */
import { startZoomEmulator, type ZoomEmulator, type ZoomEmulatorOptions } from '../../infra/local/emulators/zoom/emulator';
import { createMeetingRequest, updateMeetingRequest, type CreateMeetingRequest } from '../schemas/zoom';
import { createZoomClient, createZoomCredentialsProvider, findMeetings, isZoomError, ZoomError, zoomCredentialsFromSecretString, type ZoomClientOptions } from './zoom';

const CREDS = { accountId: 'acct-contract', clientId: 'client-contract', clientSecret: 'secret-contract' };

const emulators: ZoomEmulator[] = [];
const emulator = async (over: Partial<ZoomEmulatorOptions> = {}) => {
  const e = await startZoomEmulator({ ...CREDS, log: false, ...over });
  emulators.push(e);
  return e;
};
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});

let shared: ZoomEmulator;
beforeAll(async () => {
  shared = await emulator();
});

const noSleep = () => jest.fn((_ms: number) => Promise.resolve());

const against = (e: ZoomEmulator, over: Partial<ZoomClientOptions> = {}) =>
  createZoomClient({ apiBaseUrl: e.url, oauthUrl: e.oauthUrl, credentials: CREDS, sleep: noSleep(), onRetry: () => {}, ...over });

let n = 0;
const meeting = (over: Partial<CreateMeetingRequest> = {}): CreateMeetingRequest => ({
  topic: `Contract ${++n} [01JTEST${String(n).padStart(19, '0')}]`,
  type: 2,
  start_time: '2026-12-01T10:00:00Z',
  duration: 60,
  timezone: 'UTC',
  agenda: 'Mentorship',
  settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: false },
  ...over,
});

/** A fetch that answers from a list, one per call; the last one repeats. */
const scripted = (...answers: (() => Promise<Response>)[]) => {
  let call = 0;
  return jest.fn((_input: string | URL | Request, _init?: RequestInit) => answers[Math.min(call++, answers.length - 1)]!());
};
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } }));
const TOKEN = json(200, { access_token: 'tok-1', token_type: 'bearer', expires_in: 3600, scope: 'meeting:write:admin' });
const MEETING = {
  id: 81234567890,
  uuid: 'abc==',
  topic: 't',
  type: 2,
  start_url: 'https://zoom.us/s/81234567890?zak=z',
  join_url: 'https://zoom.us/j/81234567890?pwd=p',
};

/** Routes token requests to `token`, the rest to `api` (each a scripted fetch). */
const split = (api: ReturnType<typeof scripted>, token = scripted(TOKEN)) => {
  const fetch = jest.fn((input: string | URL | Request, init?: RequestInit) => (String(input).includes('/oauth/token') ? token(input, init) : api(input, init)));
  return { fetch, api, token };
};

const stubbed = (fetch: ZoomClientOptions['fetch'], over: Partial<ZoomClientOptions> = {}) => {
  const sleep = noSleep();
  const onRetry = jest.fn();
  const client = createZoomClient({
    apiBaseUrl: 'http://zoom.invalid/v2/',
    oauthUrl: 'http://zoom.invalid/oauth/token',
    credentials: CREDS,
    fetch,
    sleep,
    onRetry,
    random: () => 0.5,
    ...over,
  });
  return { client, sleep, onRetry };
};

const failure = async (p: Promise<unknown>): Promise<ZoomError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ZoomError) return e;
    throw e;
  }
  throw new Error('Expected a ZoomError');
};

describe('the Zoom client against the emulator', () => {
  it('creates, reads, reschedules, lists and deletes a meeting; a second delete counts as done', async () => {
    const zoom = against(shared);
    const created = await zoom.createMeeting(meeting());
    expect(created.id).toMatch(/^\d{11}$/);
    expect(created.join_url).toMatch(new RegExp(`^https://zoom\\.us/j/${created.id}\\?pwd=`));
    expect(created.start_url).toMatch(/^https:\/\/zoom\.us\/s\//);
    expect(created.settings).toMatchObject({ auto_recording: 'cloud', waiting_room: false, join_before_host: false });

    await zoom.updateMeeting(created.id, { start_time: '2026-12-02T11:30:00Z', duration: 90 });
    const read = await zoom.getMeeting(created.id);
    expect(read).toMatchObject({ id: created.id, start_time: '2026-12-02T11:30:00Z', duration: 90, join_url: created.join_url });
    // Zoom signs a new start link on every read (a start link lives two hours).
    expect(read.start_url).toMatch(/^https:\/\/zoom\.us\/s\/\d+\?zak=/);
    expect(read.start_url).not.toBe(created.start_url);

    const listed = await zoom.listMeetings();
    expect(listed.meetings.map((m) => m.id)).toContain(created.id);

    expect(await zoom.deleteMeeting(created.id)).toBe('deleted');
    expect(await zoom.deleteMeeting(created.id)).toBe('absent');
    expect(await failure(zoom.getMeeting(created.id))).toMatchObject({ code: 'NOT_FOUND', status: 404, zoomCode: 3001 });
  });

  it('reads recordings: none is null, then the files with play and download links', async () => {
    const zoom = against(shared);
    const created = await zoom.createMeeting(meeting());
    expect(await zoom.getMeetingRecordings(created.id)).toBeNull();
    shared.addRecording(created.id);
    const rec = (await zoom.getMeetingRecordings(created.id))!;
    expect(rec.id).toBe(created.id);
    expect(rec.recording_files).toHaveLength(2);
    expect(rec.recording_files[0]).toMatchObject({
      file_type: 'MP4',
      status: 'completed',
      play_url: expect.stringMatching(/^https:/),
      download_url: expect.stringMatching(/^https:/),
    });
  });

  it('sends bodies that match the request schemas, Basic auth for the token and the bearer token for the API', async () => {
    const e = await emulator();
    const spy = jest.fn((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
    const zoom = against(e, { fetch: spy });
    const req = meeting();
    const created = await zoom.createMeeting(req);
    await zoom.updateMeeting(created.id, { duration: 30 });

    const calls = spy.mock.calls.map(([url, init]) => ({ url: String(url), init: init! }));
    expect(calls.map((c) => `${c.init.method} ${c.url.replace(e.url, 'API').replace(e.oauthUrl, 'OAUTH')}`)).toEqual([
      `POST OAUTH?grant_type=account_credentials&account_id=${CREDS.accountId}`,
      'POST API/users/me/meetings',
      `PATCH API/meetings/${created.id}`,
    ]);
    const basic = Buffer.from(`${CREDS.clientId}:${CREDS.clientSecret}`).toString('base64');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe(`Basic ${basic}`);
    for (const c of calls.slice(1)) {
      expect((c.init.headers as Record<string, string>).authorization).toMatch(/^Bearer emu\./);
      expect(c.init.signal).toBeInstanceOf(AbortSignal);
    }
    expect(createMeetingRequest.parse(JSON.parse(calls[1]!.init.body as string))).toEqual(req);
    expect(updateMeetingRequest.parse(JSON.parse(calls[2]!.init.body as string))).toEqual({ duration: 30 });
  });

  it('pages through the host’s meetings', async () => {
    const e = await emulator();
    const zoom = against(e);
    for (let i = 0; i < 5; i++) await zoom.createMeeting(meeting({ topic: `Paged ${i}` }));
    const first = await zoom.listMeetings({ pageSize: 2 });
    expect(first).toMatchObject({ page_size: 2, total_records: 5, next_page_token: expect.any(String) });
    const all = await findMeetings(zoom, (m) => m.topic.startsWith('Paged'), { pageSize: 2 });
    expect(all.map((m) => m.topic)).toHaveLength(5);
    await expect(findMeetings(zoom, () => true, { pageSize: 2, maxPages: 2 })).rejects.toThrow(/more than 2 pages/);
  });

  it('refuses a request outside Zoom’s limits before sending anything', async () => {
    const fetch = scripted(json(200, {}));
    const { client } = stubbed(fetch);
    for (const bad of [
      client.createMeeting(meeting({ topic: 'x'.repeat(201) })),
      client.createMeeting(meeting({ agenda: 'x'.repeat(2001) })),
      client.createMeeting(meeting({ start_time: '2026-12-01T10:00:00+01:00' })),
      client.createMeeting(meeting({ start_time: '2026-12-01T10:00:00.000Z' })),
      client.createMeeting({ ...meeting(), type: 1 } as unknown as CreateMeetingRequest),
      client.createMeeting({ ...meeting(), extra: true } as CreateMeetingRequest),
      client.updateMeeting('123', {}),
      client.getMeeting('../users/me'),
      client.deleteMeeting('12a'),
    ]) {
      expect(await failure(bad)).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0 });
    }
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('the access token', () => {
  it('is requested once for many calls, sequential and concurrent', async () => {
    const e = await emulator();
    const zoom = against(e);
    const { id } = await zoom.createMeeting(meeting());
    for (let i = 0; i < 5; i++) await zoom.getMeeting(id);
    await Promise.all(Array.from({ length: 20 }, () => zoom.getMeeting(id)));
    expect(e.tokensIssued).toBe(1);
  });

  it('is shared by concurrent first callers: one token request in flight', async () => {
    const e = await emulator();
    const zoom = against(e);
    await Promise.all(Array.from({ length: 10 }, () => zoom.listMeetings()));
    expect(e.tokensIssued).toBe(1);
  });

  it('is refreshed a minute before it expires, once for concurrent callers', async () => {
    let clock = Date.parse('2026-06-01T00:00:00Z');
    const now = () => clock;
    const e = await emulator({ now });
    const zoom = against(e, { now });
    await zoom.listMeetings();
    clock += 3600_000 - 61_000; // still more than a minute left
    await zoom.listMeetings();
    expect(e.tokensIssued).toBe(1);
    clock += 2_000; // within the last minute: refreshed before Zoom would refuse it
    await Promise.all(Array.from({ length: 8 }, () => zoom.listMeetings()));
    expect(e.tokensIssued).toBe(2);
    expect(e.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('is refreshed halfway through for short-lived tokens', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const e = await emulator({ now, tokenTtlSeconds: 60 });
    const zoom = against(e, { now });
    await zoom.listMeetings();
    clock += 29_000;
    await zoom.listMeetings();
    clock += 2_000;
    await zoom.listMeetings();
    expect(e.tokensIssued).toBe(2);
  });

  it('refused by the API (401) is refreshed once and the call tried once more', async () => {
    const e = await emulator();
    const zoom = against(e);
    await zoom.listMeetings();
    e.revokeTokens();
    await expect(zoom.listMeetings()).resolves.toMatchObject({ meetings: expect.any(Array) });
    expect(e.tokensIssued).toBe(2);
    expect(e.requests.map((r) => r.status)).toEqual([200, 200, 401, 200, 200]);
  });

  it('refused again after the refresh is UNAUTHORIZED: no loop', async () => {
    const { fetch, api, token } = split(scripted(json(401, { code: 124, message: 'Invalid access token.' })));
    const { client, sleep } = stubbed(fetch);
    expect(await failure(client.listMeetings())).toMatchObject({ code: 'UNAUTHORIZED', status: 401, zoomCode: 124 });
    expect(api).toHaveBeenCalledTimes(2);
    expect(token).toHaveBeenCalledTimes(2);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('is shared by concurrent callers that were refused: one refresh', async () => {
    const e = await emulator();
    const zoom = against(e);
    await zoom.listMeetings();
    e.revokeTokens();
    await Promise.all(Array.from({ length: 6 }, () => zoom.listMeetings()));
    expect(e.tokensIssued).toBe(2);
  });

  it('is not issued for wrong credentials: AUTH_FAILED, not retried', async () => {
    const sleep = noSleep();
    const zoom = against(shared, { credentials: { ...CREDS, clientSecret: 'wrong' }, sleep });
    expect(await failure(zoom.listMeetings())).toMatchObject({ code: 'AUTH_FAILED', operation: 'token', status: 401, zoomCode: 'invalid_client' });
    const wrongAccount = against(shared, { credentials: { ...CREDS, accountId: 'other' }, sleep });
    expect(await failure(wrongAccount.listMeetings())).toMatchObject({ code: 'AUTH_FAILED', status: 400 });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('request is retried on 5xx, and a failed request is not cached', async () => {
    const token = scripted(json(503, { reason: 'busy' }), TOKEN);
    const { fetch } = split(scripted(json(200, { page_size: 300, total_records: 0, meetings: [] })), token);
    const { client } = stubbed(fetch);
    await client.listMeetings();
    expect(token).toHaveBeenCalledTimes(2);

    const down = split(scripted(json(200, { page_size: 300, total_records: 0, meetings: [] })), scripted(json(500, { reason: 'down' })));
    const { client: c2 } = stubbed(down.fetch, { retries: 1 });
    expect(await failure(c2.listMeetings())).toMatchObject({ code: 'UNAVAILABLE', operation: 'token', attempts: 2 });
    down.token.mockImplementation(TOKEN);
    await expect(c2.listMeetings()).resolves.toMatchObject({ total_records: 0 });
  });

  it('comes from a function when given one (credentials from Secrets Manager)', async () => {
    const credentials = jest.fn(async () => CREDS);
    const e = await emulator();
    await against(e, { credentials }).listMeetings();
    expect(credentials).toHaveBeenCalledTimes(1);
  });
});

describe('retries', () => {
  it('retry 5xx with exponential backoff and full jitter, then succeed', async () => {
    const { fetch, api } = split(scripted(json(500, { code: 500, message: 'oops' }), json(502, { message: 'bad gateway' }), json(200, MEETING)));
    const { client, sleep, onRetry } = stubbed(fetch);
    await expect(client.getMeeting('81234567890')).resolves.toMatchObject({ id: '81234567890' });
    expect(api).toHaveBeenCalledTimes(3);
    expect(api.mock.calls[0]![0]).toBe('http://zoom.invalid/v2/meetings/81234567890');
    // random() = 0.5 of min(5000, 250 × 2^(n-1)).
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([125, 250]);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('draw every delay from [0, cap)', async () => {
    const low = stubbed(split(scripted(json(503, { message: 'down' }))).fetch, { random: () => 0, retries: 4 });
    await expect(low.client.listMeetings()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(low.sleep.mock.calls.map(([ms]) => ms)).toEqual([0, 0, 0, 0]);
    const high = stubbed(split(scripted(json(503, { message: 'down' }))).fetch, { random: () => 0.999999, retries: 5, backoffBaseMs: 1000, backoffMaxMs: 5000 });
    await expect(high.client.listMeetings()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(high.sleep.mock.calls.map(([ms]) => ms)).toEqual([999, 1999, 3999, 4999, 4999]);
  });

  it('give up after `retries` with UNAVAILABLE and the last status', async () => {
    const { fetch, api } = split(scripted(json(500, { code: 500, message: 'oops' })));
    const { client, sleep } = stubbed(fetch);
    expect(await failure(client.getMeeting('81234567890'))).toMatchObject({ code: 'UNAVAILABLE', status: 500, attempts: 4 });
    expect(api).toHaveBeenCalledTimes(4);
    expect(sleep).toHaveBeenCalledTimes(3);
  });

  it('retry a 429, waiting at least its Retry-After (up to the cap)', async () => {
    const { fetch, api } = split(scripted(json(429, { code: 429, message: 'Too many requests' }, { 'retry-after': '2' }), json(200, MEETING)));
    const { client, sleep } = stubbed(fetch);
    await expect(client.getMeeting('81234567890')).resolves.toMatchObject({ id: '81234567890' });
    expect(api).toHaveBeenCalledTimes(2);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([2000]);
  });

  it('never retry a 400 (nor any other 4xx), passing on Zoom’s message', async () => {
    const { fetch, api } = split(scripted(json(400, { code: 300, message: 'Invalid field.' })));
    const { client, sleep } = stubbed(fetch);
    const e = await failure(client.updateMeeting('81234567890', { duration: 30 }));
    expect(e).toMatchObject({ code: 'REJECTED', status: 400, zoomCode: 300, attempts: 1 });
    expect(e.message).toBe('Zoom updateMeeting: Invalid field.');
    expect(api).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('retry an attempt that times out', async () => {
    const hang = (_i: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
    let call = 0;
    const api = jest.fn((input: string | URL | Request, init?: RequestInit) => (call++ === 0 ? hang(input, init) : json(200, MEETING)()));
    const { fetch } = split(api);
    const { client, onRetry } = stubbed(fetch, { timeoutMs: 20 });
    await expect(client.getMeeting('81234567890')).resolves.toMatchObject({ id: '81234567890' });
    expect(onRetry.mock.calls[0]![0].reason).toMatch(/^TIMEOUT/);
  });

  it('report a 2xx that does not match the response schema as BAD_RESPONSE, without retrying', async () => {
    for (const answer of [json(200, { ...MEETING, join_url: 'not a url' }), json(200, { ...MEETING, id: 'abc' }), () => Promise.resolve(new Response('<html>', { status: 200 }))]) {
      const { fetch, api } = split(scripted(answer));
      expect(await failure(stubbed(fetch).client.getMeeting('81234567890'))).toMatchObject({ code: 'BAD_RESPONSE', status: 200, attempts: 1 });
      expect(api).toHaveBeenCalledTimes(1);
    }
  });
});

describe('creating a meeting, which Zoom does not deduplicate', () => {
  it('is not repeated after a 5xx (it may have been created) unless the caller can look it up', async () => {
    const { fetch, api } = split(scripted(json(500, { message: 'oops' }), json(201, MEETING)));
    const { client } = stubbed(fetch);
    expect(await failure(client.createMeeting(meeting()))).toMatchObject({ code: 'UNAVAILABLE', attempts: 1 });
    expect(api).toHaveBeenCalledTimes(1);
  });

  it('is repeated after a 5xx only when the lookup finds nothing', async () => {
    const { fetch, api } = split(scripted(json(500, { message: 'oops' }), json(201, MEETING)));
    const findExisting = jest.fn(async () => undefined);
    await expect(stubbed(fetch).client.createMeeting(meeting(), { findExisting })).resolves.toMatchObject({ id: '81234567890' });
    expect(findExisting).toHaveBeenCalledTimes(1);
    expect(api).toHaveBeenCalledTimes(2);
  });

  it('is not repeated when Zoom created it although it answered 500: the lookup finds it', async () => {
    const e = await emulator();
    // Zoom creates the meeting, then its gateway fails the answer.
    const lossy = jest.fn(async (input: string | URL | Request, init?: RequestInit) => {
      const res = await globalThis.fetch(input, init);
      return init?.method === 'POST' && String(input).endsWith('/meetings') ? new Response(JSON.stringify({ message: 'gateway' }), { status: 502 }) : res;
    });
    const zoom = against(e, { fetch: lossy });
    const req = meeting();
    const found = await zoom.createMeeting(req, {
      findExisting: async () => {
        const [m] = await findMeetings(zoom, (x) => x.topic === req.topic);
        return m ? zoom.getMeeting(m.id) : undefined;
      },
    });
    expect(e.meetings.size).toBe(1);
    expect(found.id).toBe([...e.meetings.keys()][0]);
    expect(lossy.mock.calls.filter(([url, init]) => init?.method === 'POST' && String(url).endsWith('/users/me/meetings'))).toHaveLength(1);
  });

  it('is repeated after a 429 without a lookup (Zoom refused it before doing anything)', async () => {
    const { fetch, api } = split(scripted(json(429, { message: 'slow down' }), json(201, MEETING)));
    await expect(stubbed(fetch).client.createMeeting(meeting())).resolves.toMatchObject({ id: '81234567890' });
    expect(api).toHaveBeenCalledTimes(2);
  });
});

describe('the Zoom credentials', () => {
  const names = ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET', 'ZOOM_SECRET_ARN'] as const;
  const saved = Object.fromEntries(names.map((k) => [k, process.env[k]]));
  afterEach(() => {
    for (const k of names) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  const ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:zoom';

  it('are the variables when all three are set, without asking Secrets Manager', async () => {
    Object.assign(process.env, { ZOOM_ACCOUNT_ID: 'a', ZOOM_CLIENT_ID: 'c', ZOOM_CLIENT_SECRET: 's', ZOOM_SECRET_ARN: ARN });
    const load = jest.fn();
    await expect(createZoomCredentialsProvider(load)()).resolves.toEqual({ accountId: 'a', clientId: 'c', clientSecret: 's' });
    expect(load).not.toHaveBeenCalled();
  });

  it('else come from the secret ZOOM_SECRET_ARN names, through the cached secret reader; a failed read is tried again', async () => {
    for (const k of names) delete process.env[k];
    process.env.ZOOM_SECRET_ARN = ARN;
    const load = jest.fn<Promise<typeof CREDS>, [string]>().mockRejectedValueOnce(new Error('throttled')).mockResolvedValue(CREDS);
    const get = createZoomCredentialsProvider(load);
    await expect(get()).rejects.toThrow('throttled');
    await expect(get()).resolves.toEqual(CREDS);
    expect(load).toHaveBeenCalledTimes(2);
    expect(load).toHaveBeenLastCalledWith(ARN);
  });

  it('fail clearly when nothing is configured', () => {
    for (const k of names) delete process.env[k];
    process.env.ZOOM_ACCOUNT_ID = 'only-one';
    expect(() => createZoomCredentialsProvider(jest.fn())()).toThrow(/ZOOM_CLIENT_ID .*ZOOM_SECRET_ARN/);
  });

  it('read the secret’s JSON', () => {
    expect(zoomCredentialsFromSecretString(JSON.stringify(CREDS))).toEqual(CREDS);
    expect(() => zoomCredentialsFromSecretString('{"accountId":"a"}')).toThrow(/clientId/);
    expect(() => zoomCredentialsFromSecretString('plain')).toThrow(/not JSON/);
    expect(isZoomError(new ZoomError({ code: 'TIMEOUT', operation: 'getMeeting', message: 'x', attempts: 1 }), 'TIMEOUT')).toBe(true);
  });
});
