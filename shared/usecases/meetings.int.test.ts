/**
 * The CreateMeeting step's use case against DynamoDB Local and the Zoom emulator: exactly one
 * meeting per session, however the step is retried, interrupted or raced.
 */
import { ulid } from 'ulid';
import { claimMeetingCreation, getMeetingRecord } from '../data/meetings';
import { getSession, transitionSession } from '../data/sessions';
import { createZoomClient, ZoomError, type ZoomClient } from '../integrations/zoom';
import { useTestTable } from '../../test/support/table';
import { useZoomEmulator, TEST_ZOOM_CREDENTIALS } from '../../test/support/zoom';
import { givenSession } from '../../test/support/sessions';
import { createSessionMeeting, defaultMeetingDeps, deleteSessionMeeting, isMeetingOf, MEETING_CLAIM_LEASE_MS, meetingRequest, truncate, type MeetingDeps } from './meetings';

useTestTable();
const zoomEmu = useZoomEmulator();

let n = 0;
const paid = (over: Parameters<typeof givenSession>[2] = {}) => {
  n += 1;
  return givenSession(`mt-student-${n}`, `mt-tutor-${n}`, over);
};

const client = (fetch?: typeof globalThis.fetch): ZoomClient =>
  createZoomClient({
    apiBaseUrl: zoomEmu.emulator.url,
    oauthUrl: zoomEmu.emulator.oauthUrl,
    credentials: TEST_ZOOM_CREDENTIALS,
    sleep: async () => undefined,
    onRetry: () => {},
    ...(fetch ? { fetch } : {}),
  });

const deps = (over: Partial<MeetingDeps> = {}): MeetingDeps => ({ ...defaultMeetingDeps, zoom: client(), ...over });

/** The session's meetings the emulator holds (live ones), and how many creates it answered. */
const atZoom = (sessionId: string) => [...zoomEmu.emulator.meetings.values()].filter(isMeetingOf(sessionId));
const creates = () => zoomEmu.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v2/users/me/meetings').length;

describe('The meeting request', () => {
  it('is a scheduled UTC meeting tagged with the session id, within Zoom’s limits, recorded to the cloud', () => {
    const req = meetingRequest({
      id: '01JTESTSESSION0000000000000',
      title: 'T'.repeat(500),
      scheduledAt: '2026-12-01T10:00:00.000Z',
      durationMinutes: 90,
      tutor: { id: 't', displayName: 'Ada' },
      student: { id: 's', displayName: 'Bola' },
    });
    expect(req).toMatchObject({
      type: 2,
      start_time: '2026-12-01T10:00:00Z',
      duration: 90,
      settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: true, jbh_time: 10 },
    });
    expect(req.topic).toHaveLength(200);
    expect(req.topic.endsWith(' [01JTESTSESSION0000000000000]')).toBe(true);
    expect(req.agenda!.length).toBeLessThanOrEqual(2000);
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('Creating a paid session’s meeting', () => {
  it('creates one that participants may join before the host, records it on the session and stores no start URL', async () => {
    const s = await paid();
    const before = creates();
    const result = await createSessionMeeting(s.id, deps());
    const [m] = atZoom(s.id);
    expect(atZoom(s.id)).toHaveLength(1);
    expect(result).toEqual({ joinUrl: m!.joinUrl, meetingId: m!.id });
    const stored = (await getSession(s.id))!;
    expect(stored).toMatchObject({ meetingId: m!.id, meetingUrl: m!.joinUrl });
    expect(JSON.stringify(stored)).not.toContain(m!.startUrl);
    const record = await getMeetingRecord(s.id);
    expect(record).toMatchObject({ state: 'CREATED', meetingId: m!.id, joinUrl: m!.joinUrl });
    expect(JSON.stringify(record)).not.toContain('zak=');
    expect(m!.settings).toMatchObject({ join_before_host: true, jbh_time: 10, waiting_room: false });
    expect(m!.startTime).toBe(s.scheduledAt.replace('.000Z', 'Z'));

    // The step again (Step Functions may run it twice): the same answer, no call to create.
    await expect(createSessionMeeting(s.id, deps())).resolves.toEqual(result);
    expect(creates() - before).toBe(1);
  });

  it('does not create a second meeting when a retry follows a create that reached Zoom but was never recorded', async () => {
    const s = await paid();
    const zoom = client();
    // The first attempt: Zoom creates the meeting, but the answer never arrives.
    const lostAnswer: ZoomClient = {
      ...zoom,
      createMeeting: async (req, opts) => {
        await zoom.createMeeting(req, opts);
        throw new ZoomError({ code: 'TIMEOUT', operation: 'createMeeting', message: 'no answer within 5000 ms', attempts: 1 });
      },
    };
    await expect(createSessionMeeting(s.id, deps({ zoom: lostAnswer }))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(atZoom(s.id)).toHaveLength(1);
    expect(await getMeetingRecord(s.id)).toMatchObject({ state: 'CREATING' });
    expect((await getSession(s.id))!.meetingUrl).toBeNull();

    // The state machine's retry: finds the meeting by its tag and records it.
    const before = creates();
    const result = await createSessionMeeting(s.id, deps());
    expect(creates()).toBe(before);
    expect(atZoom(s.id)).toHaveLength(1);
    expect(result.joinUrl).toBe(atZoom(s.id)[0]!.joinUrl);
    expect((await getSession(s.id))!.meetingUrl).toBe(result.joinUrl);
  });

  it('creates it on the retry when the first attempt failed before Zoom made anything', async () => {
    const s = await paid();
    const refused: ZoomClient = {
      ...client(),
      createMeeting: async () => Promise.reject(new ZoomError({ code: 'UNAVAILABLE', operation: 'createMeeting', message: 'down', status: 503, attempts: 4 })),
    };
    await expect(createSessionMeeting(s.id, deps({ zoom: refused }))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await createSessionMeeting(s.id, deps());
    expect(atZoom(s.id)).toHaveLength(1);
  });

  it('does not create a second one when Zoom created it but answered 502 (the client looks before retrying)', async () => {
    const s = await paid();
    const lossy = async (input: string | URL | Request, init?: RequestInit) => {
      const res = await globalThis.fetch(input, init);
      return init?.method === 'POST' && String(input).endsWith('/users/me/meetings') ? new Response('{"message":"gateway"}', { status: 502 }) : res;
    };
    const result = await createSessionMeeting(s.id, deps({ zoom: client(lossy) }));
    expect(atZoom(s.id)).toHaveLength(1);
    expect(result.meetingId).toBe(atZoom(s.id)[0]!.id);
  });

  it('waits for an attempt that still holds its claim, and adopts its meeting once the claim ran out', async () => {
    const s = await paid();
    const t0 = Date.now();
    // An attempt claimed, created the meeting at Zoom and was killed before recording it.
    await claimMeetingCreation(s.id, 'killed-attempt', t0, MEETING_CLAIM_LEASE_MS, new Date(t0).toISOString());
    await client().createMeeting(meetingRequest(s));
    const before = creates();

    await expect(createSessionMeeting(s.id, deps({ clock: () => new Date(t0 + 1000) }))).rejects.toMatchObject({ name: 'MeetingCreationInProgress' });
    const result = await createSessionMeeting(s.id, deps({ clock: () => new Date(t0 + MEETING_CLAIM_LEASE_MS + 1) }));
    expect(creates()).toBe(before);
    expect(atZoom(s.id)).toHaveLength(1);
    expect(result.meetingId).toBe(atZoom(s.id)[0]!.id);
    expect(await getMeetingRecord(s.id)).toMatchObject({ state: 'CREATED', attempts: 2 });
  });

  it('keeps the oldest and deletes the others should several tagged meetings exist', async () => {
    const s = await paid();
    const t0 = Date.now();
    await claimMeetingCreation(s.id, 'earlier', t0 - MEETING_CLAIM_LEASE_MS - 1, MEETING_CLAIM_LEASE_MS, new Date(t0).toISOString());
    const first = await client().createMeeting(meetingRequest(s));
    const second = await client().createMeeting(meetingRequest(s));
    const result = await createSessionMeeting(s.id, deps());
    expect(result.meetingId).toBe(first.id);
    expect(atZoom(s.id).map((m) => m.id)).toEqual([first.id]);
    expect(zoomEmu.emulator.deletedMeetings.has(second.id)).toBe(true);
  });

  it('lets an attempt that outlived its claim delete its own meeting in favour of the recorded one', async () => {
    const s = await paid();
    const zoom = client();
    let enter!: () => void;
    let go!: () => void;
    const entered = new Promise<void>((r) => (enter = r));
    const gate = new Promise<void>((r) => (go = r));
    const slow: ZoomClient = {
      ...zoom,
      createMeeting: async (req, opts) => {
        enter();
        await gate;
        return zoom.createMeeting(req, opts);
      },
    };
    const t0 = Date.now();
    const a = createSessionMeeting(s.id, deps({ zoom: slow, clock: () => new Date(t0), newAttemptId: () => `A-${ulid()}` }));
    await entered;
    const b = await createSessionMeeting(s.id, deps({ clock: () => new Date(t0 + MEETING_CLAIM_LEASE_MS + 1), newAttemptId: () => `B-${ulid()}` }));
    go();
    await expect(a).resolves.toEqual(b);
    expect(atZoom(s.id).map((m) => m.id)).toEqual([b.meetingId]);
    expect([...zoomEmu.emulator.deletedMeetings.values()].filter(isMeetingOf(s.id))).toHaveLength(1);
  });

  it('makes none for an unpaid or closed session, nor when the tutor already gave a link', async () => {
    const before = creates();
    const unpaid = await paid({ paymentStatus: 'PENDING' });
    const cancelled = await paid({ status: 'CANCELLED' });
    const linked = await paid({ meetingUrl: 'https://meet.example.com/abc' });
    await expect(createSessionMeeting(unpaid.id, deps())).resolves.toEqual({ joinUrl: null, meetingId: null });
    await expect(createSessionMeeting(cancelled.id, deps())).resolves.toEqual({ joinUrl: null, meetingId: null });
    await expect(createSessionMeeting(linked.id, deps())).resolves.toEqual({ joinUrl: 'https://meet.example.com/abc', meetingId: null });
    expect(creates()).toBe(before);
    expect(await getMeetingRecord(unpaid.id)).toBeUndefined();
  });

  it('deletes the meeting again when the session was cancelled while it was being created', async () => {
    const s = await paid();
    const zoom = client();
    const cancelling: ZoomClient = {
      ...zoom,
      createMeeting: async (req, opts) => {
        const m = await zoom.createMeeting(req, opts);
        const current = (await getSession(s.id))!;
        await transitionSession(current, { ...current, status: 'CANCELLED', cancelledAt: new Date().toISOString() });
        return m;
      },
    };
    await expect(createSessionMeeting(s.id, deps({ zoom: cancelling }))).resolves.toEqual({ joinUrl: null, meetingId: null });
    expect(atZoom(s.id)).toHaveLength(0);
    expect(await getMeetingRecord(s.id)).toMatchObject({ state: 'DELETED' });
    expect((await getMeetingRecord(s.id))!.startUrl).toBeUndefined();
    expect((await getSession(s.id))!.meetingUrl).toBeNull();
  });
});

describe('Deleting a session’s meeting (cancellation)', () => {
  it('deletes it at Zoom once; a meeting Zoom no longer has counts as deleted', async () => {
    const s = await paid();
    const { meetingId } = await createSessionMeeting(s.id, deps());
    await deleteSessionMeeting(s, deps());
    expect(zoomEmu.emulator.meetings.has(meetingId!)).toBe(false);
    expect(await getMeetingRecord(s.id)).toMatchObject({ state: 'DELETED', meetingId });
    await expect(deleteSessionMeeting(s, deps())).resolves.toBeUndefined();
    const none = await paid();
    await expect(deleteSessionMeeting(none, deps())).resolves.toBeUndefined();
  });

  it('finds and deletes a meeting a failed attempt left unrecorded', async () => {
    const s = await paid();
    await claimMeetingCreation(s.id, 'failed', Date.now() - MEETING_CLAIM_LEASE_MS - 1, MEETING_CLAIM_LEASE_MS, new Date().toISOString());
    await client().createMeeting(meetingRequest(s));
    await deleteSessionMeeting(s, deps());
    expect(atZoom(s.id)).toHaveLength(0);
  });
});
