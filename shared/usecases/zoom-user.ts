/**
 * A tutor's own Zoom user: once linked, it hosts the tutor's sessions' meetings (no pool host
 * is needed). It must be an active user of our Zoom account, which Zoom's users API tells:
 * with the account's token, GET /users/{email} finds only the account's own users.
 */
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, UpstreamError, ZoomUserNotFoundError, ZoomUserUnusableError } from '../domain/errors';
import { zoomHostUsers } from '../config';
import { deleteZoomUserLink, putZoomUserLink } from '../data/meeting-hosts';
import type { Caller } from '../domain/caller';
import { isZoomError, zoom as zoomClient, type ZoomClient } from '../integrations/zoom';

export interface ZoomUserDeps {
  clock: Clock;
  zoom: Pick<ZoomClient, 'getUser'>;
  hostPool: () => string[];
}

export const defaultZoomUserDeps: ZoomUserDeps = { clock: systemClock, zoom: zoomClient, hostPool: zoomHostUsers };

const asTutor = (caller: Caller) => {
  if (!caller.roles.includes('tutor')) throw new ForbiddenError('Only tutors host meetings');
};

const linkZoomUser = async (caller: Caller, email: string, deps: ZoomUserDeps) => {
  let user;
  try {
    user = await deps.zoom.getUser(email);
  } catch (e) {
    if (isZoomError(e)) throw new UpstreamError('MEETING_PROVIDER_UNAVAILABLE', 'Zoom is not answering; please try again shortly');
    throw e;
  }
  if (!user) throw new ZoomUserNotFoundError(`${email} is not a user of our Zoom account`);
  // Zoom leaves `status` out for active users in some answers; only a stated other status refuses.
  if (user.status !== undefined && user.status !== 'active') throw new ZoomUserUnusableError(`The Zoom user ${email} is ${user.status}, not active`);
  const pool = new Set(deps.hostPool().map((h) => h.toLowerCase()));
  // A pool host's blocks are held under the pool's name for it: sharing it would let it be double-booked.
  if (pool.has(user.id.toLowerCase()) || pool.has(user.email.toLowerCase())) throw new ZoomUserUnusableError(`The Zoom user ${email} hosts the shared meetings`);
  const link = { zoomUserId: user.id, email: user.email, linkedAt: deps.clock().toISOString() };
  await putZoomUserLink(caller.userId, link);
  return { zoomUser: link };
};

const unlinkZoomUser = async (caller: Caller) => {
  await deleteZoomUserLink(caller.userId);
  return { zoomUser: null };
};

/** Links the tutor's own Zoom user, or unlinks it with `email: null`. */
export const putMyZoomUser = async (caller: Caller, email: string | null, deps: ZoomUserDeps = defaultZoomUserDeps) => {
  asTutor(caller);
  return email === null ? unlinkZoomUser(caller) : linkZoomUser(caller, email, deps);
};
