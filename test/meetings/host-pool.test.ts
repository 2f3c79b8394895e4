/**
 * Zoom hosts against DynamoDB Local and the Zoom emulator: a pool of host users assigned so
 * that no host ever has two meetings at once (their blocks are held in the database, as a
 * tutor's are), the rest on the fallback (the tutor is asked for a link); cancelling frees a
 * host, moving a session moves its host's blocks; a tutor's own Zoom user hosts their meetings.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { ddb } from '../../shared/data/client';
import { config } from '../../shared/config';
import { hostHoldKey } from '../../shared/data/keys';
import { getMeetingRecord } from '../../shared/data/meetings';
import { putZoomUserLink } from '../../shared/data/meeting-hosts';
import { getSession, moveSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { SlotUnavailableError } from '../../shared/domain/errors';
import { cancelSession } from '../../shared/usecases/cancel';
import { createSessionMeeting, defaultMeetingDeps, isMeetingOf, releaseUnusedHost, type MeetingDeps } from '../../shared/usecases/meetings';
import { useTestTable } from '../support/table';
import { useZoomEmulator } from '../support/zoom';
import { givenSession } from '../support/sessions';

useTestTable();
const zoom = useZoomEmulator();

const POOL = ['pool-a@example.com', 'pool-b@example.com', 'pool-c@example.com'];
beforeAll(() => {
  for (const email of POOL) zoom.emulator.addUser({ email });
});

const deps = (over: Partial<MeetingDeps> = {}): MeetingDeps => ({ ...defaultMeetingDeps, hostPool: () => POOL, ...over });

let n = 0;
/** A paid session `days` ahead at 10:00 UTC, of a tutor of its own: every one of a test overlaps the others. */
const paid = (days: number) => {
  n += 1;
  return givenSession(`hp-student-${n}`, `hp-tutor-${n}`, {}, days);
};

/** The blocks a host holds, as block start → session id. */
const heldBy = async (host: string): Promise<Map<string, string>> => {
  const out = await ddb.send(
    new QueryCommand({ TableName: config().tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': hostHoldKey(host, 'x').pk } }),
  );
  return new Map((out.Items ?? []).map((i) => [String(i.sk).slice('HOLD#'.length), String(i.sessionId)]));
};
const hostOf = (meetingId: string) => zoom.emulator.meetings.get(meetingId)!.hostId;
const emailOf = (hostId: string) => zoom.emulator.users.get(hostId)!.email;

describe('A pool of 3 Zoom hosts', () => {
  it('hosts at most 3 of 8 overlapping paid sessions of different tutors, never one host twice at once; the other 5 ask their tutor for a link', async () => {
    const sessions = await Promise.all(Array.from({ length: 8 }, () => paid(30)));
    // The CreateMeeting steps of all eight run at the same moment.
    const results = await Promise.all(sessions.map((s) => createSessionMeeting(s.id, deps())));

    const hosted = results.filter((r) => r.meetingId !== null);
    expect(hosted).toHaveLength(3);
    const hosts = hosted.map((r) => emailOf(hostOf(r.meetingId!)));
    expect(new Set(hosts)).toEqual(new Set(POOL));
    for (const s of sessions) expect([...zoom.emulator.meetings.values()].filter(isMeetingOf(s.id)).length).toBeLessThanOrEqual(1);

    for (const [i, s] of sessions.entries()) {
      const stored = (await getSession(s.id))!;
      if (results[i]!.meetingId) {
        expect(stored.meetingHost).toBe(emailOf(hostOf(results[i]!.meetingId)));
        expect((await listNotifications(s.tutorId, undefined, 50)).items.map((x) => x.event)).not.toContain('MEETING_LINK_NEEDED');
      } else {
        expect(stored).toMatchObject({ meetingUrl: null, paymentStatus: 'PAID' });
        expect(stored.meetingHost).toBeUndefined();
        expect(await getMeetingRecord(s.id)).toMatchObject({ state: 'NO_HOST' });
        expect((await listNotifications(s.tutorId, undefined, 50)).items.map((x) => x.event)).toContain('MEETING_LINK_NEEDED');
      }
    }
    // Each host holds the four blocks of exactly one session.
    for (const host of POOL) expect(new Set((await heldBy(host)).values()).size).toBe(1);

    // A retried step neither creates nor holds anything more.
    const creates = zoom.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/meetings')).length;
    await expect(Promise.all(sessions.map((s) => createSessionMeeting(s.id, deps())))).resolves.toEqual(results);
    expect(zoom.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/meetings')).length).toBe(creates);
  });

  it('frees a host when its session is cancelled, so the next overlapping session gets it', async () => {
    const [a, b, c] = await Promise.all([paid(31), paid(31), paid(31)]);
    for (const s of [a, b, c]) await createSessionMeeting(s.id, deps());
    const held = (await getSession(a.id))!.meetingHost!;
    const ofA = [...(await heldBy(held))].filter(([, id]) => id === a.id).map(([block]) => block);
    expect(ofA.sort()).toEqual([0, 15, 30, 45].map((m) => new Date(Date.parse(a.scheduledAt) + m * 60_000).toISOString()));

    await cancelSession({ userId: a.studentId, roles: ['student'] }, a.id, 'Plans changed');
    const heldNow = await heldBy(held);
    expect([...heldNow.values()]).not.toContain(a.id);

    const d = await paid(31);
    const created = await createSessionMeeting(d.id, deps({ hostPool: () => [held] }));
    expect(created.meetingId).not.toBeNull();
    expect(emailOf(hostOf(created.meetingId!))).toBe(held);
  });

  it('moves the host’s blocks with a rescheduled session, and refuses a move onto the host’s other meeting', async () => {
    const [a, b] = await Promise.all([paid(32), paid(33)]);
    const onlyA = deps({ hostPool: () => [POOL[0]!] });
    await createSessionMeeting(a.id, onlyA);
    await createSessionMeeting(b.id, onlyA);
    const before = (await getSession(a.id))!;
    const later = new Date(Date.parse(before.scheduledAt) + 30 * 60_000).toISOString();
    const moved = await moveSession(before, { ...before, scheduledAt: later }, { hold: [], release: [] });
    const held = await heldBy(POOL[0]!);
    const blocksOfA = [...held].filter(([, id]) => id === a.id).map(([block]) => block);
    expect(blocksOfA.sort()).toEqual([0, 15, 30, 45].map((m) => new Date(Date.parse(later) + m * 60_000).toISOString()));

    // b's day, same host: the database refuses the overlap.
    const onto = (await getSession(b.id))!.scheduledAt;
    await expect(moveSession(moved, { ...moved, scheduledAt: onto }, { hold: [], release: [] })).rejects.toBeInstanceOf(SlotUnavailableError);
    expect((await getSession(a.id))!.scheduledAt).toBe(later);
  });

  it('frees the host when Zoom fails for good (MeetingFallback), leaving no blocks behind', async () => {
    const s = await paid(34);
    zoom.faults.add('zoom');
    try {
      await expect(createSessionMeeting(s.id, deps({ hostPool: () => [POOL[1]!] }))).rejects.toMatchObject({ name: 'ZoomError' });
    } finally {
      zoom.faults.delete('zoom');
    }
    expect((await getSession(s.id))!.meetingHost).toBe(POOL[1]);
    expect([...(await heldBy(POOL[1]!)).values()]).toContain(s.id);
    await releaseUnusedHost(s.id);
    expect((await getSession(s.id))!.meetingHost).toBeUndefined();
    expect([...(await heldBy(POOL[1]!)).values()]).not.toContain(s.id);
  });
});

describe('A tutor’s own Zoom user', () => {
  it('hosts the tutor’s meetings instead of the pool', async () => {
    const own = zoom.emulator.addUser({ email: `tutor-${ulid().toLowerCase()}@example.com` });
    const s = await paid(35);
    await putZoomUserLink(s.tutorId, { zoomUserId: own.id, email: own.email, linkedAt: new Date().toISOString() });
    const { meetingId } = await createSessionMeeting(s.id, deps());
    expect(hostOf(meetingId!)).toBe(own.id);
    expect(zoom.emulator.requests.some((r) => r.method === 'POST' && r.path === `/v2/users/${own.id}/meetings`)).toBe(true);
    expect((await getSession(s.id))!.meetingHost).toBe(own.id);
  });
});
