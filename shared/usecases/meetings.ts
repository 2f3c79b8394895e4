/**
 * Video meetings: the workflow step that creates a paid session's Zoom meeting (exactly one,
 * however often the step runs) and holds its host, the tutor's own link when Zoom could not
 * make one, and what the session page shows of the meeting to whom (recordings: ./recordings.ts).
 */
import { ulid } from 'ulid';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError, NoZoomMeetingError, NotFoundError, UpstreamError } from '../domain/errors';
import type { Session } from '../domain/session';
import {
  claimMeetingCreation,
  getMeetingRecord,
  getSessionWithMeeting,
  markMeetingDeleted,
  markMeetingMoved,
  markNoMeetingHost,
  MeetingClaimLostError,
  recordCreatedMeeting,
  releaseMeetingClaim,
  type MeetingRecord,
} from '../data/meetings';
import { assignMeetingHost, getZoomUserLink, HostBusyError, releaseMeetingHost } from '../data/meeting-hosts';
import { getSession, type StoredSession } from '../data/sessions';
import { zoomHostUsers } from '../config';
import type { Caller } from '../domain/caller';
import { notify as notifyInbox } from './notify';
import { findMeetings, isZoomError, zoom as zoomClient, type ZoomClient } from '../integrations/zoom';
import { count } from '../observability/metrics';
import { toZoomTime, ZOOM_AGENDA_MAX, ZOOM_TOPIC_MAX, type CreateMeetingRequest, type ZoomMeeting } from '../schemas/zoom';
import { joinable } from './session-access';
import { hostsZoomMeeting, visibleSessionWithMeeting } from './session-page';
import { retryOnStale } from './stale-retry';
import { logger } from '../observability/logger';

/**
 * How long an attempt holds the creation claim. Must exceed the createMeeting function's
 * timeout (30 s, infra/constructs/booking-workflow.ts), so no attempt outlives its claim, and
 * stay well inside the state machine's retries (3 + 6 + 12 + 24 + 48 s), so an attempt killed
 * by its timeout is taken over by a later retry rather than ending in the fallback.
 */
export const MEETING_CLAIM_LEASE_MS = 45_000;

export interface MeetingDeps {
  clock: Clock;
  zoom: ZoomClient;
  /** Names one attempt (the claim's owner). */
  newAttemptId: () => string;
  leaseMs: number;
  /** The pool of host users, in the order they are tried; empty: every meeting goes to `zoom`'s own user, unchecked. */
  hostPool: () => string[];
  /** Tells the tutor no meeting could be made (no host free). */
  notify: typeof notifyInbox;
}

export const defaultMeetingDeps: MeetingDeps = {
  clock: systemClock,
  zoom: zoomClient,
  newAttemptId: () => ulid(),
  leaseMs: MEETING_CLAIM_LEASE_MS,
  hostPool: zoomHostUsers,
  notify: notifyInbox,
};

/** Another attempt is creating the meeting right now: the state machine retries later. */
export class MeetingCreationInProgressError extends Error {
  constructor(sessionId: string, leaseUntil: number) {
    super(`The meeting of session ${sessionId} is being created by another attempt (claimed until ${new Date(leaseUntil).toISOString()})`);
    this.name = 'MeetingCreationInProgress';
  }
}

// ---------------------------------------------------------------- what we ask Zoom for

/** The tag that finds a session's meeting among the host's: the session id, in brackets, in the topic. */
export const meetingMarker = (sessionId: string): string => `[${sessionId}]`;
export const isMeetingOf = (sessionId: string) => (m: { topic: string }) => m.topic.includes(meetingMarker(sessionId));

/** At most `max` UTF-16 units, cut with an ellipsis and never inside a surrogate pair. */
export const truncate = (s: string, max: number): string => {
  if (s.length <= max) return s;
  let cut = s.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
};

export const meetingRequest = (s: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'durationMinutes' | 'tutor' | 'student'>): CreateMeetingRequest => {
  const marker = ` ${meetingMarker(s.id)}`;
  const title = s.title.trim() || 'Mentorship session';
  return {
    topic: `${truncate(title, ZOOM_TOPIC_MAX - marker.length)}${marker}`,
    type: 2,
    start_time: toZoomTime(s.scheduledAt),
    duration: s.durationMinutes,
    timezone: 'UTC',
    agenda: truncate(`${title}\n\nMentorship session ${s.id}: ${s.tutor.displayName} (host) with ${s.student.displayName}.`, ZOOM_AGENDA_MAX),
    // Participants may join before the host (up to 10 minutes before the start), so a student
    // is never stuck in front of a meeting that has not started; a waiting room would hold
    // them there all the same, so there is none.
    settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: true, jbh_time: 10 },
  };
};

// ---------------------------------------------------------------- the workflow step

export interface MeetingStepResult {
  /** The link participants join with (ConfirmBooking reads it); null when there is none. */
  joinUrl: string | null;
  meetingId: string | null;
}

const load = async (sessionId: string): Promise<StoredSession> => {
  const s = await getSession(sessionId);
  if (!s) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return s;
};

const fromRecord = (s: Session, r: MeetingRecord): MeetingStepResult => ({
  joinUrl: s.meetingUrl ?? (r.state === 'CREATED' ? (r.joinUrl ?? null) : null),
  meetingId: r.state === 'CREATED' ? (r.meetingId ?? null) : null,
});

/**
 * The session's meetings at Zoom, by their tag: the oldest is kept, any other (from a race
 * that should not happen) deleted. The list has no start_url, so the kept one is read.
 */
const findTaggedMeeting = async (zoom: ZoomClient, sessionId: string): Promise<ZoomMeeting | undefined> => {
  const found = await findMeetings(zoom, isMeetingOf(sessionId));
  if (found.length === 0) return undefined;
  const [keep, ...extra] = [...found].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? '') || a.id.localeCompare(b.id));
  for (const m of extra) {
    logger.warn('Deleting a duplicate Zoom meeting', { sessionId, meetingId: m.id, kept: keep!.id });
    await zoom.deleteMeeting(m.id);
  }
  return zoom.getMeeting(keep!.id);
};

/** Records `meeting` (made under `owner`'s claim) on the session; deletes it again if the session closed meanwhile. */
const recordMeeting = async (sessionId: string, owner: string, meeting: ZoomMeeting, deps: MeetingDeps): Promise<MeetingStepResult> => {
  // The start URL is not kept: it expires within hours; the tutor gets a fresh one (getHostLink).
  const created = { meetingId: meeting.id, joinUrl: meeting.join_url };
  let stored: StoredSession;
  try {
    stored = await retryOnStale(async () => {
      const s = await load(sessionId);
      const at = deps.clock().toISOString();
      // A link the tutor set meanwhile is kept; a closed session gets no link.
      const next: Session = joinable(s)
        ? { ...s, meetingId: created.meetingId, meetingUrl: s.meetingUrl ?? created.joinUrl, updatedAt: at }
        : { ...s, meetingId: created.meetingId };
      return recordCreatedMeeting(s, next, owner, created, at);
    }, 5);
  } catch (e) {
    if (!(e instanceof MeetingClaimLostError)) throw e;
    const current = await getMeetingRecord(sessionId);
    if (current?.state !== 'CREATED') throw e;
    if (current.meetingId !== created.meetingId) {
      logger.warn('Another attempt recorded a meeting first; deleting ours', { sessionId, ours: created.meetingId, theirs: current.meetingId });
      await deps.zoom.deleteMeeting(created.meetingId);
    }
    return fromRecord(await load(sessionId), current);
  }
  if (!joinable(stored)) {
    await deleteSessionMeeting(stored, deps);
    return { joinUrl: null, meetingId: null };
  }
  // Rescheduled while the meeting was being made (the move saw no meeting to update): move it too.
  if (meeting.start_time && Date.parse(meeting.start_time) !== Date.parse(stored.scheduledAt)) {
    await deps.zoom
      .updateMeeting(created.meetingId, { start_time: toZoomTime(stored.scheduledAt), duration: stored.durationMinutes, timezone: 'UTC' })
      .catch((e: unknown) => logger.error('Could not move the new Zoom meeting to the rescheduled time', { sessionId, meetingId: created.meetingId, error: String(e) }));
  }
  logger.info('Zoom meeting created', { sessionId, meetingId: created.meetingId });
  return { joinUrl: stored.meetingUrl, meetingId: created.meetingId };
};

/** No pool configured and no user of the tutor's own: the client's default user, with no blocks held. */
const DEFAULT_HOST = Symbol('default host');

/**
 * The session's host, held: the one an earlier attempt held (nothing is held twice), else the
 * tutor's own Zoom user, else the first host of the pool whose blocks are free, tried in the
 * configured order (packing meetings onto the first hosts keeps the last ones free for long
 * stretches, and costs no read to rank the hosts). Null when none is free. One Zoom user hosts
 * one meeting at a time: the host is named on the session and its blocks held in one
 * transaction (shared/data/meeting-hosts.ts), before Zoom is called.
 */
const holdMeetingHost = (sessionId: string, deps: MeetingDeps): Promise<string | typeof DEFAULT_HOST | null> =>
  retryOnStale(async () => {
    const s = await load(sessionId);
    if (s.meetingHost) return s.meetingHost;
    const own = await getZoomUserLink(s.tutorId);
    const candidates = own ? [own.zoomUserId] : deps.hostPool();
    if (candidates.length === 0) return DEFAULT_HOST;
    for (const host of candidates) {
      try {
        await assignMeetingHost(s, host);
        logger.info('Zoom host assigned', { sessionId, host, own: Boolean(own) });
        return host;
      } catch (e) {
        if (!(e instanceof HostBusyError)) throw e;
      }
    }
    return null;
  }, 5);

/**
 * MeetingFallback: the session got no Zoom meeting after all, so its host (if one was held)
 * is free again. A meeting an ambiguous create may have left at Zoom is found by its tag and
 * deleted first, so the host is never freed while it still has the meeting.
 */
export const releaseUnusedHost = async (sessionId: string, deps: MeetingDeps = defaultMeetingDeps): Promise<void> => {
  const record = await getMeetingRecord(sessionId);
  if (record?.state === 'CREATED') return;
  await retryOnStale(async () => {
    const s = await load(sessionId);
    if (!s.meetingHost) return;
    for (const m of await findMeetings(deps.zoom.asUser(s.meetingHost), isMeetingOf(sessionId))) await deps.zoom.deleteMeeting(m.id);
    await releaseMeetingHost(s);
  });
};

/**
 * CreateMeeting: the paid session's Zoom meeting, created once. Zoom has no idempotency key, so
 * 1. before calling Zoom the step claims the session's meeting item (CREATING, an owner id, a
 *    lease); a failing attempt releases its lease, a killed one's runs out; while another
 *    attempt holds a live lease the step fails with MeetingCreationInProgress, and the state
 *    machine's Retry tries again later;
 * 2. every meeting carries the session id in its topic (meetingMarker);
 * 3. an attempt that takes over a claim (an earlier attempt may have created the meeting and
 *    died before recording it) first adopts the tagged one (findTaggedMeeting); the client's
 *    own retry of an ambiguous create (timeout, 5xx) does the same lookup first;
 * 4. the meeting is recorded on the meeting item (only by the claim's owner) and on the
 *    session in one transaction; a claim lost meanwhile (only if an attempt outlives the
 *    lease) deletes its own meeting in favour of the recorded one (recordMeeting).
 * With no host free it answers without a meeting and asks the tutor for a link. Errors from
 * Zoom (after the client's own retries) are thrown: the state machine retries, then falls back
 * to asking the tutor for a link (MeetingFallback frees the host: releaseUnusedHost).
 */
export const createSessionMeeting = async (sessionId: string, deps: MeetingDeps = defaultMeetingDeps): Promise<MeetingStepResult> => {
  const s = await load(sessionId);
  const existing = await getMeetingRecord(sessionId);
  if (existing && existing.state !== 'CREATING') return fromRecord(s, existing);
  // Nothing to create: a closed or unpaid session, or one the tutor already gave a link (and no attempt began).
  if (!joinable(s) || s.paymentStatus !== 'PAID' || (!existing && s.meetingUrl)) return { joinUrl: s.meetingUrl, meetingId: null };

  const now = deps.clock();
  const owner = deps.newAttemptId();
  const claim = await claimMeetingCreation(sessionId, owner, now.getTime(), deps.leaseMs, now.toISOString());
  if (!claim.claimed) {
    if (claim.record.state !== 'CREATING') return fromRecord(s, claim.record);
    throw new MeetingCreationInProgressError(sessionId, claim.record.leaseUntil);
  }
  try {
    const host = await holdMeetingHost(sessionId, deps);
    if (host === null) {
      await markNoMeetingHost(sessionId, owner, deps.clock().toISOString());
      const current = await load(sessionId);
      logger.warn('No Zoom host is free for the session; the tutor is asked for a link', { sessionId });
      if (!current.meetingUrl) await deps.notify({ event: 'MEETING_LINK_NEEDED', session: current, to: ['tutor'] });
      count('ZoomFallbacks');
      return { joinUrl: current.meetingUrl, meetingId: null };
    }
    const zoom = host === DEFAULT_HOST ? deps.zoom : deps.zoom.asUser(host);
    const find = () => findTaggedMeeting(zoom, sessionId);
    // Taking over a claim: the attempt before may have created the meeting and died before recording it.
    const adopted = claim.previous ? await find() : undefined;
    if (adopted) logger.info('Adopting the meeting an earlier attempt created', { sessionId, meetingId: adopted.id });
    const meeting = adopted ?? (await zoom.createMeeting(meetingRequest(s), { findExisting: find }));
    return await recordMeeting(sessionId, owner, meeting, deps);
  } catch (e) {
    // The next attempt need not wait for the lease; the claim stays CREATING (a meeting may exist).
    await releaseMeetingClaim(sessionId, owner, deps.clock().getTime()).catch(() => undefined);
    throw e;
  }
};

/**
 * Deletes the session's Zoom meeting (a cancelled session), if it has one; a meeting Zoom no
 * longer has counts as deleted. An attempt still creating one sees the cancellation when it
 * records the meeting, and deletes it itself.
 */
export const deleteSessionMeeting = async (session: Pick<Session, 'id'> & { meetingHost?: string }, deps: MeetingDeps = defaultMeetingDeps): Promise<void> =>
  deleteMeetingOf(session, await getMeetingRecord(session.id), deps);

const deleteMeetingOf = async (session: Pick<Session, 'id'> & { meetingHost?: string }, record: MeetingRecord | undefined, deps: MeetingDeps): Promise<void> => {
  if (!record) return;
  if (record.state === 'CREATED' && record.meetingId) {
    await deps.zoom.deleteMeeting(record.meetingId);
    await markMeetingDeleted(session.id, record.meetingId, deps.clock().toISOString());
    return;
  }
  if (record.state === 'CREATING' && record.leaseUntil <= deps.clock().getTime()) {
    // An attempt failed after maybe creating it, and nobody will try again: find it by its tag.
    const zoom = session.meetingHost ? deps.zoom.asUser(session.meetingHost) : deps.zoom;
    for (const m of await findMeetings(zoom, isMeetingOf(session.id))) await deps.zoom.deleteMeeting(m.id);
  }
};

/**
 * What a move or a cancel left for the session's meeting (shared/data/meeting-sync.ts), done
 * off the request by the table stream: the meeting is put where the session is now, read
 * consistently, so records handled late, twice or out of order end in the same place. A
 * cancelled session's meeting is deleted (deleted already, or gone at Zoom: done); a booked
 * one's is moved to the session's time unless a sync moved it there already, so a record
 * delivered again asks Zoom nothing. A meeting still being made is left to its maker, which
 * checks the session's time and status when it records it. A Zoom failure is thrown: the
 * stream retries the record, then dead-letters it.
 */
export const syncSessionMeeting = async (sessionId: string, deps: MeetingDeps = defaultMeetingDeps): Promise<void> => {
  const { session: s, meeting } = await getSessionWithMeeting(sessionId, { consistent: true });
  if (!s || !meeting) return;
  if (s.status === 'CANCELLED') return deleteMeetingOf(s, meeting, deps);
  if (!joinable(s) || meeting.state !== 'CREATED' || !meeting.meetingId) return;
  if (meeting.syncedStart === s.scheduledAt) return;
  try {
    await deps.zoom.updateMeeting(meeting.meetingId, { start_time: toZoomTime(s.scheduledAt), duration: s.durationMinutes, timezone: 'UTC' });
  } catch (e) {
    // Deleted at Zoom by someone else: there is nothing to move (the tutor can set a link).
    if (!isZoomError(e, 'NOT_FOUND')) throw e;
    logger.warn('The Zoom meeting to move no longer exists', { sessionId, meetingId: meeting.meetingId });
    return;
  }
  await markMeetingMoved(sessionId, meeting.meetingId, s.scheduledAt, deps.clock().toISOString());
  logger.info('Zoom meeting moved', { sessionId, meetingId: meeting.meetingId, start: s.scheduledAt });
};

// ---------------------------------------------------------------- routes

/** Zoom's start links live two hours for ordinary users: the answer says until when the link works. */
export const HOST_LINK_TTL_MS = 2 * 60 * 60 * 1000;

/**
 * GET /sessions/{id}/host-link: a fresh start link for the session's tutor, read from Zoom on
 * every call and never stored (it starts the meeting as host without signing in, and it
 * expires). The student gets 403 (as for the tutor's other actions), anyone else 404.
 */
export const getHostLink = async (caller: Caller, id: string, deps: Pick<MeetingDeps, 'clock' | 'zoom'> = defaultMeetingDeps): Promise<{ url: string; expiresAt: string }> => {
  const { session: s, meeting } = await visibleSessionWithMeeting(caller, id);
  if (s.tutorId !== caller.userId) throw new ForbiddenError("Only the session's tutor can start its meeting as host");
  if (!joinable(s)) throw new InvalidStateError(`A ${s.status} session has no meeting to start`);
  if (!hostsZoomMeeting(caller, s, meeting)) throw new NoZoomMeetingError("The session's meeting link is not a Zoom meeting of ours: open it as it is");
  const fetchedAt = deps.clock().getTime();
  let m: ZoomMeeting;
  try {
    m = await deps.zoom.getMeeting(meeting!.meetingId!);
  } catch (e) {
    if (isZoomError(e, 'NOT_FOUND')) throw new NoZoomMeetingError('The Zoom meeting no longer exists');
    if (isZoomError(e)) throw new UpstreamError('MEETING_PROVIDER_UNAVAILABLE', 'Zoom is not answering; please try again shortly');
    throw e;
  }
  return { url: m.start_url, expiresAt: new Date(fetchedAt + HOST_LINK_TTL_MS).toISOString() };
};
