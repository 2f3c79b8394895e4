/**
 * The inbox routes, called as API Gateway calls them, against DynamoDB Local: newest first
 * with the unread count, paging, marking read (owner only, once).
 */
import { ulid } from 'ulid';
import { handler as listMyNotifications } from './listMyNotifications';
import { handler as markNotificationRead } from './markNotificationRead';
import { notify, type NotifyRequest } from '../../shared/usecases/notify';
import { SESSION_NOTIFICATION_EVENTS } from '../../shared/domain/notifications';
import { useTestTable } from '../../test/support/table';
import { call, caller } from '../../test/support/http';

useTestTable();

const LIST = 'GET /me/notifications';
const READ = 'POST /me/notifications/{notificationId}/read';

let n = 0;
const people = () => {
  n += 1;
  return { student: caller(`inbox-student-${n}`, 'student'), tutor: caller(`inbox-tutor-${n}`, 'tutor') };
};

const sessionOf = (studentId: string, tutorId: string): NotifyRequest['session'] => ({
  id: ulid(),
  studentId,
  tutorId,
  student: { id: studentId, displayName: 'Bola' },
  tutor: { id: tutorId, displayName: 'Ada' },
  title: 'Generics',
  scheduledAt: '2026-12-01T10:00:00.000Z',
  price: { amount: 500_000, currency: 'NGN' },
  approvalNotes: null,
});

/** `count` notifications for the student, one second apart (oldest first); returns the events in order. */
const given = async (studentId: string, tutorId: string, count: number) => {
  const t0 = Date.now() - 60_000;
  const events = SESSION_NOTIFICATION_EVENTS.slice(0, count);
  for (const [i, event] of events.entries()) {
    await notify({ event, session: sessionOf(studentId, tutorId), to: ['student'] }, () => new Date(t0 + i * 1000));
  }
  return [...events];
};

const list = (who: ReturnType<typeof caller>, query: Record<string, string> = {}) => call(listMyNotifications, LIST, { as: who, query });
const read = (who: ReturnType<typeof caller>, notificationId: string) => call(markNotificationRead, READ, { as: who, pathParameters: { notificationId } });

describe('GET /me/notifications', () => {
  it('pages newest first, with the unread count on the first page', async () => {
    const { student, tutor } = people();
    const events = await given(student.sub, tutor.sub, 5);
    const newestFirst = [...events].reverse();

    const first = await list(student, { limit: '2' });
    expect(first.status).toBe(200);
    expect(first.body.unreadCount).toBe(5);
    expect(first.body.items.map((i: { event: string }) => i.event)).toEqual(newestFirst.slice(0, 2));
    expect(first.body.items[0]).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      userId: student.sub,
      event: newestFirst[0],
      title: expect.any(String),
      body: expect.any(String),
      sessionId: expect.any(String),
      action: { label: expect.any(String), href: expect.stringMatching(/^\//) },
      createdAt: expect.any(String),
      readAt: null,
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await list(student, { limit: '2', cursor: first.body.nextCursor });
    expect(second.body.items.map((i: { event: string }) => i.event)).toEqual(newestFirst.slice(2, 4));
    expect(second.body.unreadCount).toBeNull();

    const third = await list(student, { limit: '2', cursor: second.body.nextCursor });
    expect(third.body.items.map((i: { event: string }) => i.event)).toEqual(newestFirst.slice(4));
    expect(third.body.nextCursor).toBeNull();

    const all = await list(student);
    const created = all.body.items.map((i: { createdAt: string }) => i.createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("is empty with a zero count for someone with no notifications, and shows nobody else's", async () => {
    const { student, tutor } = people();
    await given(student.sub, tutor.sub, 2);
    const res = await list(tutor);
    expect(res.body).toEqual({ items: [], unreadCount: 0, nextCursor: null });
  });

  it("refuses another user's cursor", async () => {
    const a = people();
    const b = people();
    await given(a.student.sub, a.tutor.sub, 3);
    const first = await list(a.student, { limit: '1' });
    const res = await list(b.student, { limit: '1', cursor: first.body.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('POST /me/notifications/{id}/read', () => {
  it('sets readAt and brings the unread count down; marking it again changes nothing', async () => {
    const { student, tutor } = people();
    await given(student.sub, tutor.sub, 3);
    const [newest, middle] = (await list(student)).body.items as { id: string }[];

    const first = await read(student, middle!.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: middle!.id, readAt: expect.any(String) });
    expect(Date.now() - Date.parse(first.body.readAt)).toBeLessThan(60_000);
    let inbox = (await list(student)).body;
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.items.find((i: { id: string }) => i.id === middle!.id).readAt).toBe(first.body.readAt);

    const again = await read(student, middle!.id);
    expect(again.status).toBe(200);
    expect(again.body.readAt).toBe(first.body.readAt);
    expect((await list(student)).body.unreadCount).toBe(2);

    await Promise.all([read(student, newest!.id), read(student, newest!.id), read(student, newest!.id)]);
    inbox = (await list(student)).body;
    expect(inbox.unreadCount).toBe(1);
  });

  it("is 404 for another user's notification, and leaves it unread", async () => {
    const { student, tutor } = people();
    await given(student.sub, tutor.sub, 1);
    const [mine] = (await list(student)).body.items as { id: string }[];
    const res = await read(tutor, mine!.id);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    const inbox = (await list(student)).body;
    expect(inbox.unreadCount).toBe(1);
    expect(inbox.items[0].readAt).toBeNull();
    expect((await list(tutor)).body.unreadCount).toBe(0);
  });

  it('is 404 for an id that does not exist and 400 for one that is not an id', async () => {
    const { student } = people();
    expect((await read(student, ulid())).status).toBe(404);
    expect((await read(student, 'not-an-id')).status).toBe(400);
  });
});
