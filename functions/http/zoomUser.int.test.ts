/**
 * PUT and DELETE /me/zoom-user, called as API Gateway calls them, against DynamoDB Local and
 * the Zoom emulator's users API: a tutor links an active user of our Zoom account, and
 * nothing else.
 */
import { handler as putMyZoomUser } from './putMyZoomUser';
import { getZoomUserLink } from '../../shared/data/meeting-hosts';
import { useTestTable } from '../../test/support/table';
import { call, caller } from '../../test/support/http';
import { useZoomEmulator } from '../../test/support/zoom';

useTestTable();
const zoom = useZoomEmulator();

const PUT = 'PUT /me/zoom-user';

describe('Linking a tutor’s own Zoom user', () => {
  it('stores the Zoom user id of an active user of the account, found by email; email null unlinks it', async () => {
    const tutor = caller('zu-tutor-1', 'tutor');
    const user = zoom.emulator.addUser({ email: 'Ada.Tutor@example.com' });
    const res = await call(putMyZoomUser, PUT, { as: tutor, body: { email: 'ada.tutor@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ zoomUser: { zoomUserId: user.id, email: 'Ada.Tutor@example.com', linkedAt: expect.any(String) } });
    expect(await getZoomUserLink(tutor.sub)).toMatchObject({ zoomUserId: user.id });
    expect(zoom.emulator.requests.some((r) => r.method === 'GET' && r.path === '/v2/users/ada.tutor%40example.com')).toBe(true);

    const gone = await call(putMyZoomUser, PUT, { as: tutor, body: { email: null } });
    expect(gone).toMatchObject({ status: 200, body: { zoomUser: null } });
    expect(await getZoomUserLink(tutor.sub)).toBeUndefined();
    expect((await call(putMyZoomUser, PUT, { as: tutor, body: { email: null } })).status).toBe(200);
  });

  it('refuses a user the account does not have (409 ZOOM_USER_NOT_FOUND) and one that is not active (409 ZOOM_USER_UNUSABLE)', async () => {
    const tutor = caller('zu-tutor-2', 'tutor');
    const missing = await call(putMyZoomUser, PUT, { as: tutor, body: { email: 'nobody@example.com' } });
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('ZOOM_USER_NOT_FOUND');
    for (const status of ['inactive', 'pending'] as const) {
      zoom.emulator.addUser({ email: `${status}@example.com`, status });
      const res = await call(putMyZoomUser, PUT, { as: tutor, body: { email: `${status}@example.com` } });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ZOOM_USER_UNUSABLE');
    }
    expect(await getZoomUserLink(tutor.sub)).toBeUndefined();
  });

  it('refuses a pool host (its blocks are held under the pool’s name), a student, and a body that is not an email', async () => {
    zoom.emulator.addUser({ email: 'pool-host@example.com' });
    const saved = process.env.ZOOM_HOST_USERS;
    process.env.ZOOM_HOST_USERS = 'pool-host@example.com';
    try {
      const res = await call(putMyZoomUser, PUT, { as: caller('zu-tutor-3', 'tutor'), body: { email: 'pool-host@example.com' } });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ZOOM_USER_UNUSABLE');
    } finally {
      if (saved === undefined) delete process.env.ZOOM_HOST_USERS;
      else process.env.ZOOM_HOST_USERS = saved;
    }
    expect((await call(putMyZoomUser, PUT, { as: caller('zu-student', 'student'), body: { email: 'pool-host@example.com' } })).status).toBe(403);
    for (const body of [{ email: 'me' }, { email: 'a@b.c', extra: 1 }, {}]) expect((await call(putMyZoomUser, PUT, { as: caller('zu-tutor-3', 'tutor'), body })).status).toBe(400);
  });

  it('answers 502 MEETING_PROVIDER_UNAVAILABLE when Zoom does not answer', async () => {
    zoom.faults.add('zoom');
    try {
      const res = await call(putMyZoomUser, PUT, { as: caller('zu-tutor-4', 'tutor'), body: { email: 'x@example.com' } });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('MEETING_PROVIDER_UNAVAILABLE');
    } finally {
      zoom.faults.delete('zoom');
    }
  });
});
