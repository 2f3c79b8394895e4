/**
 * The emulator's contract, over raw HTTP: every answer has Zoom's wire format as our schemas
 * encode it (so the client's tests against it mean something), tokens are checked and
 * expire, faults fail every call, and the local stack's helper sets the handlers' env.
 */
import {
  meetingListResponse,
  recordingsResponse,
  tokenErrorBody,
  tokenResponse,
  zoomErrorBody,
  zoomMeeting,
  zoomUser,
  type CreateMeetingRequest,
} from '../../../../shared/schemas/zoom';
import { startZoomEmulator, ZOOM_FAULTS, type ZoomEmulator, type ZoomEmulatorOptions } from './emulator';
import { LOCAL_ZOOM_CREDENTIALS, LOCAL_ZOOM_HOST_USERS, startLocalZoom } from './local';

const CREDS = { accountId: 'acct-emu', clientId: 'client-emu', clientSecret: 'secret-emu' };
const basic = (id = CREDS.clientId, secret = CREDS.clientSecret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
const emulator = async (over: Partial<ZoomEmulatorOptions> = {}): Promise<ZoomEmulator> => {
  const e = await startZoomEmulator({ ...CREDS, log: false, ...over });
  cleanups.push(() => e.stop());
  return e;
};

const tokenFor = async (e: ZoomEmulator, accountId = CREDS.accountId, auth = basic()) =>
  fetch(`${e.oauthUrl}?grant_type=account_credentials&account_id=${encodeURIComponent(accountId)}`, { method: 'POST', headers: { authorization: auth } });

const bearer = async (e: ZoomEmulator) => tokenResponse.parse(await (await tokenFor(e)).json()).access_token;

const api = async (e: ZoomEmulator, method: string, path: string, token: string | undefined, body?: unknown) => {
  const res = await fetch(`${e.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

const meeting = (over: Partial<CreateMeetingRequest> = {}): CreateMeetingRequest => ({
  topic: 'Emulated [01JTESTSESSION0000000000000]',
  type: 2,
  start_time: '2026-12-01T10:00:00Z',
  duration: 60,
  timezone: 'UTC',
  agenda: 'An agenda',
  settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: false },
  ...over,
});

describe('The Zoom emulator’s token endpoint', () => {
  it('issues a bearer token for the account’s credentials, in Zoom’s shape', async () => {
    const e = await emulator({ tokenTtlSeconds: 1800 });
    const res = await tokenFor(e);
    expect(res.status).toBe(200);
    const token = tokenResponse.parse(await res.json());
    expect(token).toMatchObject({ token_type: 'bearer', expires_in: 1800, scope: expect.stringContaining('meeting:write') });
    expect(e.tokensIssued).toBe(1);
  });

  it('refuses wrong client credentials (401 invalid_client), a wrong account and another grant type (400)', async () => {
    const e = await emulator();
    const wrongSecret = await tokenFor(e, CREDS.accountId, basic(CREDS.clientId, 'nope'));
    expect(wrongSecret.status).toBe(401);
    expect(tokenErrorBody.parse(await wrongSecret.json())).toMatchObject({ error: 'invalid_client' });
    expect((await tokenFor(e, CREDS.accountId, 'Bearer x')).status).toBe(401);
    expect((await tokenFor(e, 'other-account')).status).toBe(400);
    const grant = await fetch(`${e.oauthUrl}?grant_type=client_credentials`, { method: 'POST', headers: { authorization: basic() } });
    expect(grant.status).toBe(400);
    expect(e.tokensIssued).toBe(0);
  });

  it('takes the parameters in a form body too', async () => {
    const e = await emulator();
    const res = await fetch(e.oauthUrl, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=account_credentials&account_id=${CREDS.accountId}`,
    });
    expect(res.status).toBe(200);
  });
});

describe('The Zoom emulator’s API', () => {
  it('answers 401 (code 124) without a token, with an unknown one and with an expired one', async () => {
    let clock = 1_000_000;
    const e = await emulator({ now: () => clock, tokenTtlSeconds: 60 });
    for (const token of [undefined, 'made-up']) {
      const res = await api(e, 'GET', '/users/me/meetings', token);
      expect(res.status).toBe(401);
      expect(zoomErrorBody.parse(res.body)).toMatchObject({ code: 124 });
    }
    const token = await bearer(e);
    expect((await api(e, 'GET', '/users/me/meetings', token)).status).toBe(200);
    clock += 60_000;
    expect(await api(e, 'GET', '/users/me/meetings', token)).toMatchObject({ status: 401, body: { code: 124, message: 'Access token is expired.' } });
  });

  it('creates a scheduled meeting (201) with join and start URLs, in Zoom’s shape', async () => {
    const e = await emulator();
    const token = await bearer(e);
    const res = await api(e, 'POST', '/users/me/meetings', token, meeting());
    expect(res.status).toBe(201);
    expect(typeof res.body.id).toBe('number'); // documented as a string, sent as an integer
    const m = zoomMeeting.parse(res.body);
    expect(m).toMatchObject({ topic: 'Emulated [01JTESTSESSION0000000000000]', type: 2, start_time: '2026-12-01T10:00:00Z', duration: 60, agenda: 'An agenda' });
    expect(m.join_url).toMatch(new RegExp(`^https://zoom\\.us/j/${m.id}\\?pwd=[A-Za-z0-9_-]+$`));
    expect(m.start_url).toMatch(new RegExp(`^https://zoom\\.us/s/${m.id}\\?zak=`));
    expect(e.meetings.get(m.id)).toMatchObject({ startUrl: m.start_url, joinUrl: m.join_url });
    // The host by id or by email works like `me`; another user does not exist.
    expect((await api(e, 'POST', '/users/emulated-host/meetings', token, meeting())).status).toBe(201);
    expect((await api(e, 'POST', '/users/HOST@example.com/meetings', token, meeting())).status).toBe(201);
    expect(await api(e, 'POST', '/users/someone-else/meetings', token, meeting())).toMatchObject({ status: 404, body: { code: 1001 } });
  });

  it('refuses a body outside Zoom’s rules with 400 (code 300), and ignores fields it does not know, as Zoom does', async () => {
    const e = await emulator();
    const token = await bearer(e);
    for (const body of [meeting({ topic: 'x'.repeat(201) }), { ...meeting(), start_time: '2026-12-01 10:00' }]) {
      const res = await api(e, 'POST', '/users/me/meetings', token, body);
      expect(res.status).toBe(400);
      expect(zoomErrorBody.parse(res.body)).toMatchObject({ code: 300 });
    }
    expect(e.meetings.size).toBe(0);
    expect((await api(e, 'POST', '/users/me/meetings', token, { ...meeting(), surprise: 1 })).status).toBe(201);
  });

  it('reads, patches (204) and deletes (204, then 404 code 3001) a meeting', async () => {
    const e = await emulator();
    const token = await bearer(e);
    const { id } = zoomMeeting.parse((await api(e, 'POST', '/users/me/meetings', token, meeting())).body);
    expect(zoomMeeting.parse((await api(e, 'GET', `/meetings/${id}`, token)).body).id).toBe(id);
    expect((await api(e, 'PATCH', `/meetings/${id}`, token, { start_time: '2026-12-03T09:00:00Z', duration: 45 })).status).toBe(204);
    expect((await api(e, 'GET', `/meetings/${id}`, token)).body).toMatchObject({ start_time: '2026-12-03T09:00:00Z', duration: 45 });
    expect((await api(e, 'PATCH', `/meetings/${id}`, token, { start_time: 'tomorrow' })).status).toBe(400);
    expect((await api(e, 'DELETE', `/meetings/${id}`, token)).status).toBe(204);
    expect(await api(e, 'DELETE', `/meetings/${id}`, token)).toMatchObject({ status: 404, body: { code: 3001 } });
    expect(await api(e, 'GET', `/meetings/${id}`, token)).toMatchObject({ status: 404, body: { code: 3001 } });
    expect(e.deletedMeetings.has(id)).toBe(true);
    expect(e.meetings.has(id)).toBe(false);
  });

  it('mints a fresh start_url on every read of a meeting (Zoom’s start links expire); the join_url stays', async () => {
    const e = await emulator();
    const token = await bearer(e);
    const created = zoomMeeting.parse((await api(e, 'POST', '/users/me/meetings', token, meeting())).body);
    const first = zoomMeeting.parse((await api(e, 'GET', `/meetings/${created.id}`, token)).body);
    const second = zoomMeeting.parse((await api(e, 'GET', `/meetings/${created.id}`, token)).body);
    expect(new Set([created.start_url, first.start_url, second.start_url]).size).toBe(3);
    expect(second.start_url).toMatch(new RegExp(`^https://zoom\\.us/s/${created.id}\\?zak=`));
    expect(second.join_url).toBe(created.join_url);
  });

  it('records the settings a meeting was created with (join before host, how early, no waiting room), and refuses a jbh_time Zoom does not know', async () => {
    const e = await emulator();
    const token = await bearer(e);
    const settings = { auto_recording: 'cloud' as const, host_video: true, waiting_room: false, join_before_host: true, jbh_time: 10 as const };
    const created = zoomMeeting.parse((await api(e, 'POST', '/users/me/meetings', token, meeting({ settings }))).body);
    expect(e.meetings.get(created.id)!.settings).toMatchObject(settings);
    expect((await api(e, 'GET', `/meetings/${created.id}`, token)).body.settings).toMatchObject({ join_before_host: true, jbh_time: 10, waiting_room: false });
    expect(await api(e, 'POST', '/users/me/meetings', token, meeting({ settings: { ...settings, jbh_time: 7 as never } }))).toMatchObject({ status: 400, body: { code: 300 } });
  });

  it('answers GET /users/{id|email} for the account’s users (404 code 1001 otherwise), adds users through its control endpoint, and creates meetings for any active one', async () => {
    const e = await emulator({ users: [{ email: 'pool-1@example.com' }] });
    const token = await bearer(e);
    const pool = zoomUser.parse((await api(e, 'GET', '/users/pool-1@example.com', token)).body);
    expect(pool).toMatchObject({ email: 'pool-1@example.com', status: 'active', type: 2, account_id: CREDS.accountId });
    expect(zoomUser.parse((await api(e, 'GET', `/users/${pool.id}`, token)).body).email).toBe('pool-1@example.com');
    expect(zoomUser.parse((await api(e, 'GET', '/users/me', token)).body).email).toBe('host@example.com');
    expect(await api(e, 'GET', '/users/nobody@example.com', token)).toMatchObject({ status: 404, body: { code: 1001 } });

    const added = await fetch(`${e.url.replace(/\/v2$/, '')}/_emulator/users`, { method: 'POST', body: JSON.stringify({ email: 'gone@example.com', status: 'inactive' }) });
    expect(added.status).toBe(200);
    expect(zoomUser.parse((await api(e, 'GET', '/users/gone@example.com', token)).body).status).toBe('inactive');
    expect((await api(e, 'POST', '/users/gone@example.com/meetings', token, meeting())).status).toBe(400);

    const hosted = zoomMeeting.parse((await api(e, 'POST', `/users/${pool.id}/meetings`, token, meeting())).body);
    expect(hosted.host_id).toBe(pool.id);
    expect((await api(e, 'GET', `/users/${pool.id}/meetings?type=scheduled`, token)).body.meetings.map((m: { id: number }) => String(m.id))).toEqual([hosted.id]);
    expect((await api(e, 'GET', '/users/me/meetings?type=scheduled', token)).body.meetings).toEqual([]);
  });

  it('lists the host’s meetings page by page, by start time', async () => {
    const now = Date.parse('2026-11-30T00:00:00Z');
    const e = await emulator({ now: () => now });
    const token = await bearer(e);
    for (const day of ['05', '02', '04', '01', '03']) await api(e, 'POST', '/users/me/meetings', token, meeting({ start_time: `2026-12-${day}T10:00:00Z` }));
    await api(e, 'POST', '/users/me/meetings', token, meeting({ start_time: '2026-11-01T10:00:00Z' })); // past
    const seen: string[] = [];
    let next = '';
    do {
      const res = await api(e, 'GET', `/users/me/meetings?type=upcoming&page_size=2${next ? `&next_page_token=${next}` : ''}`, token);
      const page = meetingListResponse.parse(res.body);
      expect(page).toMatchObject({ page_size: 2, total_records: 5 });
      seen.push(...page.meetings.map((m) => m.start_time!.slice(8, 10)));
      next = page.next_page_token ?? '';
    } while (next);
    expect(seen).toEqual(['01', '02', '03', '04', '05']);
    expect(meetingListResponse.parse((await api(e, 'GET', '/users/me/meetings?type=scheduled&page_size=300', token)).body).total_records).toBe(6);
    expect(meetingListResponse.parse((await api(e, 'GET', '/users/me/meetings?type=live', token)).body).meetings).toEqual([]);
    expect((await api(e, 'GET', '/users/me/meetings?type=weird', token)).status).toBe(400);
  });

  it('has no recordings for a meeting (404 code 3301) until one is added', async () => {
    const e = await emulator();
    const token = await bearer(e);
    const { id } = zoomMeeting.parse((await api(e, 'POST', '/users/me/meetings', token, meeting())).body);
    expect(await api(e, 'GET', `/meetings/${id}/recordings`, token)).toMatchObject({ status: 404, body: { code: 3301 } });
    const files = e.addRecording(id);
    const res = await api(e, 'GET', `/meetings/${id}/recordings`, token);
    expect(res.status).toBe(200);
    const rec = recordingsResponse.parse(res.body);
    expect(rec).toMatchObject({ id, recording_count: 2 });
    expect(rec.recording_files.map((f) => f.play_url)).toEqual(files.map((f) => f.playUrl));
    expect(rec.recording_files.every((f) => f.download_url?.startsWith('https://'))).toBe(true);
  });

  it('fails every call, the token endpoint included, while the `zoom` fault is set (read live)', async () => {
    const faults = new Set<string>();
    const e = await emulator({ faults });
    const token = await bearer(e);
    faults.add(ZOOM_FAULTS.all);
    expect((await tokenFor(e)).status).toBe(500);
    const res = await api(e, 'POST', '/users/me/meetings', token, meeting());
    expect(res.status).toBe(500);
    expect(zoomErrorBody.safeParse(res.body).success).toBe(true);
    expect(e.meetings.size).toBe(0);
    faults.delete(ZOOM_FAULTS.all);
    expect((await api(e, 'POST', '/users/me/meetings', token, meeting())).status).toBe(201);
  });
});

describe('startLocalZoom (for npm start)', () => {
  const names = ['ZOOM_API_BASE_URL', 'ZOOM_OAUTH_URL', 'ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET', 'ZOOM_HOST_USERS'] as const;
  const saved = Object.fromEntries(names.map((k) => [k, process.env[k]]));
  afterEach(() => {
    for (const k of names) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('starts the emulator and points the handlers at it', async () => {
    for (const k of names) delete process.env[k];
    const e = (await startLocalZoom({ log: false }))!;
    cleanups.push(() => e.stop());
    expect(process.env).toMatchObject({
      ZOOM_API_BASE_URL: e.url,
      ZOOM_OAUTH_URL: e.oauthUrl,
      ZOOM_ACCOUNT_ID: LOCAL_ZOOM_CREDENTIALS.accountId,
      ZOOM_CLIENT_SECRET: LOCAL_ZOOM_CREDENTIALS.clientSecret,
      ZOOM_HOST_USERS: LOCAL_ZOOM_HOST_USERS.join(','),
    });
    expect([...e.users.values()].map((u) => u.email)).toEqual(expect.arrayContaining([...LOCAL_ZOOM_HOST_USERS]));
    expect(e.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    expect((await tokenFor(e, LOCAL_ZOOM_CREDENTIALS.accountId, basic(LOCAL_ZOOM_CREDENTIALS.clientId, LOCAL_ZOOM_CREDENTIALS.clientSecret))).status).toBe(200);
  });

  it('starts nothing when real credentials are configured', async () => {
    Object.assign(process.env, { ZOOM_ACCOUNT_ID: 'real', ZOOM_CLIENT_ID: 'real', ZOOM_CLIENT_SECRET: 'real-secret' });
    delete process.env.ZOOM_API_BASE_URL;
    expect(await startLocalZoom({ log: false })).toBeUndefined();
    expect(process.env.ZOOM_API_BASE_URL).toBeUndefined();
  });
});
