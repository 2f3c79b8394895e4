/** The tutor routes against DynamoDB Local. */
import { handler as putMyTutorProfile } from './putMyTutorProfile';
import { handler as getTutor } from './getTutor';
import { handler as listTutors } from './listTutors';
import { handler as health } from './health';
import { useTestTable } from '../../test/support/table';
import { call, caller } from '../../test/support/http';

useTestTable();

const profile = {
  displayName: 'Ada Okafor',
  bio: 'TypeScript and distributed systems',
  hourlyRate: { amount: 500_000, currency: 'NGN' },
  durations: [30, 60],
  bookingModes: ['REQUEST'],
  timezone: 'Africa/Lagos',
  availability: [{ day: 'MON', start: '09:00', end: '17:00' }],
  minimumNoticeMinutes: 60,
  bufferMinutes: 15,
};

describe('Given a tutor', () => {
  const ada = caller('ada', 'tutor');

  it('creates and then updates their own profile, keeping createdAt and ratings', async () => {
    const first = await call(putMyTutorProfile, 'PUT /tutors/me', { as: ada, body: profile });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ...profile, id: 'ada', ratingAverage: null, ratingCount: 0 });
    const second = await call(putMyTutorProfile, 'PUT /tutors/me', { as: ada, body: { ...profile, displayName: 'Ada O.' } });
    expect(second.body.displayName).toBe('Ada O.');
    expect(second.body.createdAt).toBe(first.body.createdAt);
    const read = await call(getTutor, 'GET /tutors/{tutorId}', { as: caller('bola', 'student'), pathParameters: { tutorId: 'ada' } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 'ada', displayName: 'Ada O.', availability: profile.availability });
  });

  it('refuses a profile with bad fields, naming them', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ hourlyRate: { amount: 10.5, currency: 'NGN' } }, 'hourlyRate.amount'],
      [{ hourlyRate: { amount: 0, currency: 'NGN' } }, 'hourlyRate.amount'],
      [{ durations: [25] }, 'durations.0'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ availability: [{ day: 'MON', start: '17:00', end: '09:00' }] }, 'availability.0.end'],
      [{ role: 'admin' }, ''],
    ];
    for (const [change, path] of cases) {
      const res = await call(putMyTutorProfile, 'PUT /tutors/me', { as: caller('bad-tutor', 'tutor'), body: { ...profile, ...change } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const missing = await call(getTutor, 'GET /tutors/{tutorId}', { as: ada, pathParameters: { tutorId: 'bad-tutor' } });
    expect(missing.status).toBe(404);
  });

  it('only lets tutors write a tutor profile', async () => {
    const res = await call(putMyTutorProfile, 'PUT /tutors/me', { as: caller('bola', 'student'), body: profile });
    expect(res.status).toBe(403);
  });
});

describe('Browsing tutors', () => {
  it('pages through every tutor with an opaque cursor', async () => {
    for (const id of ['b1', 'b2', 'b3']) {
      await call(putMyTutorProfile, 'PUT /tutors/me', { as: caller(id, 'tutor'), body: profile });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(listTutors, 'GET /tutors', { as: caller('bola', 'student'), query: { limit: '2', ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(['ada', 'b1', 'b2', 'b3']));
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('Health', () => {
  it('answers 200 without a token', async () => {
    expect(await call(health, 'GET /health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
