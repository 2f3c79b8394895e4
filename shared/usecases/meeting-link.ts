/**
 * The tutor's own meeting link for a session. Apart from ./meetings.ts (the Zoom meetings), so
 * that this route bundles neither the Zoom client nor its secret.
 */
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError } from '../domain/errors';
import { transitionSession } from '../data/sessions';
import type { Caller } from '../domain/caller';
import { joinable, presentSession, visibleSession } from './session-access';
import { retryOnStale } from './stale-retry';

/**
 * PUT /sessions/{id}/meeting-url: the tutor's own link (e.g. when no Zoom meeting could be
 * made). Only the session's tutor, only while it is SCHEDULED or IN_PROGRESS.
 */
export const setMeetingUrl = async (caller: Caller, id: string, meetingUrl: string, deps: { clock: Clock } = { clock: systemClock }) => {
  const stored = await retryOnStale(async () => {
    const s = await visibleSession(caller, id);
    if (s.tutorId !== caller.userId) throw new ForbiddenError("Only the session's tutor can set its meeting link");
    if (!joinable(s)) throw new InvalidStateError(`A ${s.status} session takes no meeting link`);
    if (s.meetingUrl === meetingUrl) return s;
    return transitionSession(s, { ...s, meetingUrl, updatedAt: deps.clock().toISOString() });
  });
  return presentSession(stored);
};
