/**
 * The identity routes, called as API Gateway calls them, against DynamoDB Local: GET /me,
 * applying to tutor, and the admins' list, approval and decline, with the races between them.
 */
import { handler as getMe } from './getMe';
import { handler as applyToTutor } from './applyToTutor';
import { handler as listTutorApplications } from './listTutorApplications';
import { handler as approveTutorApplication } from './approveTutorApplication';
import { handler as declineTutorApplication } from './declineTutorApplication';
import { handler as getTutor } from './getTutor';
import { handler as putMyTutorProfile } from './putMyTutorProfile';
import { handler as listMyNotifications } from './listMyNotifications';
import { listNotifications } from '../../shared/data/notifications';
import { getTutorApplication } from '../../shared/data/tutor-applications';
import { getUser } from '../../shared/data/users';
import type { Role } from '../../shared/domain/caller';
import type { IdentityProvider } from '../../shared/integrations/identity';
import { meResponse, tutorApplicationListResponse, tutorApplicationResponse } from '../../shared/schemas/identity';
import { approveTutorApplication as approveUseCase, signUp } from '../../shared/usecases/identity';
import { useTestTable } from '../../test/support/table';
import { call, caller, type TestCaller } from '../../test/support/http';

useTestTable();

const ME = 'GET /me';
const APPLY = 'POST /me/tutor-application';
const LIST = 'GET /admin/tutor-applications';
const APPROVE = 'POST /admin/tutor-applications/{userId}/approve';
const DECLINE = 'POST /admin/tutor-applications/{userId}/decline';

const profile = {
  displayName: 'Ngozi Eze',
  bio: 'Frontend engineer; React and accessibility.',
  hourlyRate: { amount: 400_000, currency: 'NGN' },
  durations: [30, 60],
  bookingModes: ['REQUEST'],
  timezone: 'Africa/Lagos',
  availability: [{ day: 'TUE', start: '09:00', end: '17:00' }],
  minimumNoticeMinutes: 60,
  bufferMinutes: 15,
};

const admin = caller('ta-admin', 'admin');
const otherAdmin = caller('ta-admin-2', 'admin');

let n = 0;
/** A new student with a user item, as sign-up leaves them. */
const newStudent = async (): Promise<TestCaller> => {
  n += 1;
  const who = caller(`ta-student-${n}`, 'student');
  await signUp({ userId: who.sub, name: who.name!, email: `${who.sub}@example.com` });
  return who;
};

const apply = (who: TestCaller, body: unknown = profile) => call(applyToTutor, APPLY, { as: who, body });
const approve = (userId: string, as = admin) => call(approveTutorApplication, APPROVE, { as, pathParameters: { userId } });
const decline = (userId: string, reason?: string, as = admin) =>
  call(declineTutorApplication, DECLINE, { as, pathParameters: { userId }, body: reason === undefined ? {} : { reason } });
const inbox = async (userId: string) => (await listNotifications(userId, undefined, 50)).items;

describe('GET /me', () => {
  it('answers a new student with their token’s name, email and roles, no tutor profile and no unread notifications', async () => {
    const who = await newStudent();
    const res = await call(getMe, ME, { as: who });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: who.sub,
      name: who.name,
      email: `${who.sub}@example.com`,
      roles: ['student'],
      tutorProfile: null,
      tutorApplication: null,
      unreadNotifications: 0,
    });
    expect(meResponse.safeParse(res.body).success).toBe(true);
  });

  it('falls back to the user item for a name the token lacks', async () => {
    await signUp({ userId: 'ta-noname', name: 'Kemi Ade', email: 'kemi@example.com' });
    const res = await call(getMe, ME, { as: { sub: 'ta-noname', groups: ['student'] } });
    expect(res.body).toMatchObject({ id: 'ta-noname', name: 'Kemi Ade' });
  });

  it('shows a tutor their profile', async () => {
    const tutor = caller('ta-tutor', 'tutor');
    await call(putMyTutorProfile, 'PUT /tutors/me', { as: tutor, body: profile });
    const res = await call(getMe, ME, { as: tutor });
    expect(res.body.roles).toEqual(['tutor']);
    expect(res.body.tutorProfile).toMatchObject({ ...profile, id: 'ta-tutor', ratingCount: 0 });
    expect(meResponse.safeParse(res.body).success).toBe(true);
  });

  it('refuses a token that is not an ID token (an access token passes API Gateway but names nobody)', async () => {
    const res = await call(getMe, ME, { as: { ...caller('ta-access', 'student'), tokenUse: 'access' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('Applying to tutor', () => {
  it('files a pending application, and a retry with the same profile finds the same one', async () => {
    const who = await newStudent();
    const first = await apply(who);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ userId: who.sub, status: 'PENDING', profile, applicant: { displayName: who.name }, decidedAt: null, reason: null });
    expect(tutorApplicationResponse.safeParse(first.body).success).toBe(true);
    const again = await apply(who);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const me = await call(getMe, ME, { as: who });
    expect(me.body.tutorApplication).toEqual({ status: 'PENDING', submittedAt: first.body.submittedAt, decidedAt: null, reason: null });
  });

  it('refuses another profile while one is pending, and anyone who is a tutor already', async () => {
    const who = await newStudent();
    await apply(who);
    const changed = await apply(who, { ...profile, bio: 'Something else' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('INVALID_STATE');
    const tutor = await apply(caller('ta-already', 'student', 'tutor'));
    expect(tutor.status).toBe(409);
  });

  it('validates the profile as PUT /tutors/me does, naming the fields', async () => {
    const who = await newStudent();
    const cases: [Record<string, unknown>, string][] = [
      [{ hourlyRate: { amount: 0, currency: 'NGN' } }, 'hourlyRate.amount'],
      [{ durations: [25] }, 'durations.0'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ role: 'admin' }, ''],
    ];
    for (const [change, path] of cases) {
      const res = await apply(who, { ...profile, ...change });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await getTutorApplication(who.sub)).toBeUndefined();
  });

  it('writes the user item of a caller who has none yet (the approval adds the role to it)', async () => {
    const who = caller('ta-no-item', 'student');
    expect((await apply(who)).status).toBe(201);
    expect(await getUser('ta-no-item')).toMatchObject({ roles: ['student'], email: 'ta-no-item@example.com' });
  });
});

describe('The admins’ list', () => {
  it('pages one status at a time, oldest first, pending by default; admins only', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const who = await newStudent();
      await apply(who);
      ids.push(who.sub);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(listTutorApplications, LIST, { as: admin, query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      expect(tutorApplicationListResponse.safeParse(page.body).success).toBe(true);
      seen.push(...page.body.items.map((a: { userId: string; status: string }) => (expect(a.status).toBe('PENDING'), a.userId)));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const mine = seen.filter((id) => ids.includes(id));
    expect(mine).toEqual(ids);

    await decline(ids[0]!, 'Not enough detail in the bio');
    const declined = await call(listTutorApplications, LIST, { as: admin, query: { status: 'DECLINED' } });
    expect(declined.body.items.map((a: { userId: string }) => a.userId)).toContain(ids[0]);
    const pending = await call(listTutorApplications, LIST, { as: admin, query: { status: 'PENDING', limit: '100' } });
    expect(pending.body.items.map((a: { userId: string }) => a.userId)).not.toContain(ids[0]);

    expect((await call(listTutorApplications, LIST, { as: caller('ta-nosy', 'student', 'tutor') })).status).toBe(403);
    expect((await call(listTutorApplications, LIST, { as: admin, query: { status: 'MAYBE' } })).status).toBe(400);
  });
});

describe('Approving', () => {
  it('makes the applicant a tutor: role on the user item, profile published, applicant notified; once', async () => {
    const who = await newStudent();
    await apply(who);
    const res = await approve(who.sub);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: who.sub, status: 'APPROVED', decidedBy: admin.sub, reason: null });
    expect(tutorApplicationResponse.safeParse(res.body).success).toBe(true);

    expect((await getUser(who.sub))!.roles).toEqual(['student', 'tutor']);
    const published = await call(getTutor, 'GET /tutors/{tutorId}', { as: caller('ta-browser', 'student'), pathParameters: { tutorId: who.sub } });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ ...profile, id: who.sub, ratingAverage: null, ratingCount: 0 });
    const told = await inbox(who.sub);
    expect(told).toEqual([expect.objectContaining({ event: 'TUTOR_APPLICATION_APPROVED', userId: who.sub, readAt: null })]);
    expect(told[0]!.sessionId).toBeUndefined();
    // The inbox answers it as the document describes (no session).
    const listed = await call(listMyNotifications, 'GET /me/notifications', { as: who });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ event: 'TUTOR_APPLICATION_APPROVED', action: expect.objectContaining({ href: expect.any(String) }) })]);

    // The token still says student until it is refreshed; /me shows what the token grants and the profile.
    const me = await call(getMe, ME, { as: who });
    expect(me.body).toMatchObject({ roles: ['student'], tutorProfile: { id: who.sub }, tutorApplication: { status: 'APPROVED' }, unreadNotifications: 1 });

    const again = await approve(who.sub, otherAdmin);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(await inbox(who.sub)).toHaveLength(1);
    expect((await getUser(who.sub))!.roles).toEqual(['student', 'tutor']);

    const late = await decline(who.sub, 'Changed my mind');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_STATE');
    const reapply = await apply(caller(who.sub, 'student'));
    expect(reapply.status).toBe(409);
  });

  it('answers 404 for a user who never applied, and admins only', async () => {
    expect((await approve('ta-nobody')).status).toBe(404);
    expect((await decline('ta-nobody', 'No')).status).toBe(404);
    const who = await newStudent();
    await apply(who);
    expect((await approve(who.sub, caller('ta-tutor-x', 'tutor'))).status).toBe(403);
    expect((await getTutorApplication(who.sub))!.status).toBe('PENDING');
  });

  it('keeps an application whose approval stopped at the identity provider APPROVING, refuses a decline then, and finishes on the next approval', async () => {
    const who = await newStudent();
    await apply(who);
    const calls: [string, Role][] = [];
    const down: IdentityProvider = {
      addToGroup: async () => {
        throw new Error('Cognito is unreachable');
      },
    };
    const up: IdentityProvider = { addToGroup: async (u, r) => void calls.push([u, r]) };
    const adminCaller = { userId: admin.sub, roles: ['admin' as const] };
    await expect(approveUseCase(adminCaller, who.sub, { clock: () => new Date(), identity: down })).rejects.toThrow('Cognito is unreachable');
    expect((await getTutorApplication(who.sub))!.status).toBe('APPROVING');
    expect((await getUser(who.sub))!.roles).toEqual(['student']);
    expect(await inbox(who.sub)).toEqual([]);

    expect((await decline(who.sub, 'Too late')).status).toBe(409);
    const done = await approveUseCase(adminCaller, who.sub, { clock: () => new Date(), identity: up });
    expect(done.status).toBe('APPROVED');
    expect(calls).toEqual([[who.sub, 'tutor']]);
    expect((await getUser(who.sub))!.roles).toEqual(['student', 'tutor']);
    expect(await inbox(who.sub)).toHaveLength(1);
  });
});

describe('Declining', () => {
  it('needs a reason, tells the applicant it, answers the same when repeated; the applicant may apply again', async () => {
    const who = await newStudent();
    const first = await apply(who);
    const noReason = await decline(who.sub);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.map((d: { path: string }) => d.path)).toContain('reason');

    const res = await decline(who.sub, 'Please add your availability');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'DECLINED', reason: 'Please add your availability', decidedBy: admin.sub });
    const told = await inbox(who.sub);
    expect(told).toEqual([expect.objectContaining({ event: 'TUTOR_APPLICATION_DECLINED', body: expect.stringContaining('Please add your availability') })]);

    const again = await decline(who.sub, 'Another reason', otherAdmin);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(await inbox(who.sub)).toHaveLength(1);

    const approveDeclined = await approve(who.sub);
    expect(approveDeclined.status).toBe(409);
    expect(approveDeclined.body.error.code).toBe('INVALID_STATE');
    expect((await getUser(who.sub))!.roles).toEqual(['student']);
    expect((await call(getTutor, 'GET /tutors/{tutorId}', { as: admin, pathParameters: { tutorId: who.sub } })).status).toBe(404);

    const reapply = await apply(who, { ...profile, availability: [{ day: 'WED', start: '10:00', end: '12:00' }] });
    expect(reapply.status).toBe(201);
    expect(reapply.body).toMatchObject({ status: 'PENDING', reason: null, decidedAt: null });
    expect(reapply.body.submittedAt >= first.body.submittedAt).toBe(true);
    // The new application is approvable, and its approval is told (its own notification).
    expect((await approve(who.sub)).status).toBe(200);
    expect((await inbox(who.sub)).map((x) => x.event)).toEqual(['TUTOR_APPLICATION_APPROVED', 'TUTOR_APPLICATION_DECLINED']);
  });
});

describe('Races', () => {
  it('two admins approving at once: both answer APPROVED, one effect', async () => {
    const who = await newStudent();
    await apply(who);
    const [a, b] = await Promise.all([approve(who.sub, admin), approve(who.sub, otherAdmin)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.status).toBe('APPROVED');
    expect(b.body.status).toBe('APPROVED');
    expect((await getUser(who.sub))!.roles).toEqual(['student', 'tutor']);
    expect(await inbox(who.sub)).toHaveLength(1);
  });

  it('an approval and a decline at once: exactly one wins, and the state is all of the winner’s', async () => {
    for (let i = 0; i < 4; i += 1) {
      const who = await newStudent();
      await apply(who);
      const [ok, no] = await Promise.all([approve(who.sub, admin), decline(who.sub, 'No', otherAdmin)]);
      expect([ok.status, no.status].sort()).toEqual([200, 409]);
      const app = (await getTutorApplication(who.sub, true))!;
      const user = (await getUser(who.sub))!;
      const published = await call(getTutor, 'GET /tutors/{tutorId}', { as: admin, pathParameters: { tutorId: who.sub } });
      const events = (await inbox(who.sub)).map((x) => x.event);
      if (ok.status === 200) {
        expect([app.status, user.roles, published.status, events]).toEqual(['APPROVED', ['student', 'tutor'], 200, ['TUTOR_APPLICATION_APPROVED']]);
      } else {
        expect([app.status, user.roles, published.status, events]).toEqual(['DECLINED', ['student'], 404, ['TUTOR_APPLICATION_DECLINED']]);
      }
    }
  });

  it('the same application sent twice at once: one application, both answers the same', async () => {
    const who = await newStudent();
    const [a, b] = await Promise.all([apply(who), apply(who)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
  });
});
