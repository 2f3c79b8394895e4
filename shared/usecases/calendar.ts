/**
 * A booked session as a calendar file to download (GET /sessions/{sessionId}/calendar.ics):
 * the same event the emailed invites carry (same UID, the session's current SEQUENCE), as
 * METHOD:PUBLISH, so a calendar that took an emailed invite recognises it, and one that did
 * not can add it. Only for the session's two participants: anyone else gets the 404 every
 * session route answers for a session the caller may not see.
 */
import { emailSender, frontendUrl } from '../config';
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError, SessionNotBookedError } from '../domain/errors';
import { PAGES } from '../domain/notifications';
import { isBooked } from '../domain/session';
import { getSession } from '../data/sessions';
import { getUser } from '../data/users';
import { sessionInvite } from '../email/invite';
import { PRODUCT_NAME } from '../email/layout';
import type { Caller } from '../domain/caller';

export const getSessionCalendar = async (caller: Caller, sessionId: string, clock: Clock = systemClock): Promise<string> => {
  const s = await getSession(sessionId);
  if (!s || (s.studentId !== caller.userId && s.tutorId !== caller.userId)) throw new NotFoundError('No such session');
  if (!isBooked(s)) throw new SessionNotBookedError('The session is not booked yet: its calendar entry comes with the booking');
  const user = await getUser(caller.userId);
  const sender = emailSender();
  const sessionUrl = `${frontendUrl()}${PAGES.session(s.id)}`;
  return sessionInvite({
    session: s,
    method: 'PUBLISH',
    cancelled: s.status === 'CANCELLED',
    sequence: s.version,
    stamp: clock().toISOString(),
    organizer: { name: PRODUCT_NAME, email: sender.address },
    ...(user?.email ? { attendee: { name: user.displayName, email: user.email } } : {}),
    sessionUrl,
    uidDomain: sender.address.split('@')[1]!,
  });
};
