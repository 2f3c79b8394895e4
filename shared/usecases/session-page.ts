/**
 * Reading a session: the session page (./sessions.ts books, ./decisions.ts decides).
 */
import { systemClock, type Clock } from '../domain/clock';
import { liveInfo } from '../domain/session';
import type { StoredSession } from '../data/sessions';
import type { Caller } from '../domain/caller';
import { hostsZoomMeeting, presentSession, visibleSessionWithMeeting } from './session-access';

export interface SessionPageDeps {
  clock: Clock;
}

export const defaultSessionPageDeps: SessionPageDeps = { clock: systemClock };

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
