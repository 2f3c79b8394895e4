/**
 * MeetingFallback: no meeting could be made. The booking stands: the Zoom host it held is
 * freed (shared/usecases/meetings.ts), the tutor is asked for a link, and it is confirmed.
 */
import { count } from '../../observability/metrics';
import { releaseUnusedHost } from '../meetings';
import { confirm, defaultConfirmationDeps, type ConfirmationDeps } from './confirmation';
import { loadSession } from './step-session';

export const meetingFallback = async (sessionId: string, deps: ConfirmationDeps = defaultConfirmationDeps) => {
  await releaseUnusedHost(sessionId);
  const s = await loadSession(sessionId);
  if (!s.meetingUrl) await deps.notify({ event: 'MEETING_LINK_NEEDED', session: s, to: ['tutor'] });
  count('ZoomFallbacks');
  return confirm(sessionId, null, deps);
};
