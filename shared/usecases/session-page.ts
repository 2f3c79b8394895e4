/**
 * Reading a session: the session page (./sessions.ts books, ./decisions.ts decides).
 */
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError } from '../domain/errors';
import { liveInfo, type Session } from '../domain/session';
import type { StoredSession } from '../data/sessions';
import { getSessionWithMeeting, type MeetingRecord } from '../data/meetings';
import type { Caller } from '../domain/caller';
import { canSee, joinable, presentSession } from './session-access';

export interface SessionPageDeps {
  clock: Clock;
}

export const defaultSessionPageDeps: SessionPageDeps = { clock: systemClock };

/** A session the caller may see, with its meeting record, in one Query (404 as visibleSession). */
export const visibleSessionWithMeeting = async (caller: Caller, id: string): Promise<{ session: StoredSession; meeting: MeetingRecord | undefined }> => {
  const { session, meeting } = await getSessionWithMeeting(id);
  if (!session || !canSee(caller, session)) throw new NotFoundError('No such session');
  return { session, meeting };
};

/** Whether the session's link is its Zoom meeting's (the tutor may start it as host). */
export const hostsZoomMeeting = (caller: Caller, s: Session, meeting: MeetingRecord | undefined): boolean =>
  caller.userId === s.tutorId && joinable(s) && meeting?.state === 'CREATED' && Boolean(meeting.meetingId) && meeting.joinUrl === s.meetingUrl;

/** The session page: the session plus whether it is live and how long until it starts. */
export const presentSessionPage = (s: StoredSession, now: Date) => ({ ...presentSession(s), ...liveInfo(s, now) });

/**
 * The session page, read with its meeting in one Query. The session's tutor also learns
 * whether they can start its Zoom meeting as host (`hostsMeeting`: GET …/host-link).
 */
export const getSession = async (caller: Caller, id: string, deps: SessionPageDeps = defaultSessionPageDeps) => {
  const { session, meeting } = await visibleSessionWithMeeting(caller, id);
  const page = presentSessionPage(session, deps.clock());
  return hostsZoomMeeting(caller, session, meeting) ? { ...page, hostsMeeting: true } : page;
};
