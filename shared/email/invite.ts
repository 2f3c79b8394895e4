/**
 * A session as an iCalendar (RFC 5545) scheduling message, built with ical-generator: one
 * event whose UID is the session's for all its life, so a calendar that took the booking's
 * invite (METHOD:REQUEST) applies a later one of higher SEQUENCE as an update (a reschedule)
 * and removes the event on METHOD:CANCEL.
 *
 * Each recipient gets an invite naming only themselves as attendee: the other party's
 * address is never shown to them.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { sessionEnd, type Session } from '../domain/session';

/** REQUEST and CANCEL are emailed (RFC 5546 scheduling); PUBLISH is the download (GET /sessions/{id}/calendar.ics). */
export type InviteMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface InviteInput {
  session: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'durationMinutes' | 'meetingUrl' | 'student' | 'tutor'>;
  method: InviteMethod;
  /** A PUBLISH of a cancelled session: the event with STATUS:CANCELLED (CANCEL implies it). */
  cancelled?: boolean;
  /** Higher for every later change of the session (its item's version). */
  sequence: number;
  /** When this version was made (DTSTAMP). */
  stamp: string;
  organizer: { name: string; email: string };
  /** The recipient (absent: an event without attendees). */
  attendee?: { name: string; email: string };
  sessionUrl: string;
  /** The domain part of the UID (the sender's domain): UIDs must be unique beyond this app. */
  uidDomain: string;
}

/** The UID of a session's calendar event: the same in every invite about it. */
export const inviteUid = (sessionId: string, uidDomain: string): string => `session-${sessionId}@${uidDomain}`;

export const sessionInvite = (input: InviteInput): string => {
  const { session: s } = input;
  const cancel = input.method === 'CANCEL' || input.cancelled === true;
  const method = { REQUEST: ICalCalendarMethod.REQUEST, CANCEL: ICalCalendarMethod.CANCEL, PUBLISH: ICalCalendarMethod.PUBLISH }[input.method];
  const calendar = ical({ prodId: { company: 'Mentorship', product: 'Sessions', language: 'EN' }, method });
  calendar.createEvent({
    id: inviteUid(s.id, input.uidDomain),
    sequence: input.sequence,
    stamp: new Date(input.stamp),
    start: new Date(s.scheduledAt),
    end: sessionEnd(s),
    summary: `${s.title} (${s.student.displayName} with ${s.tutor.displayName})`,
    description: [cancel ? 'This session was cancelled.' : null, s.meetingUrl ? `Join: ${s.meetingUrl}` : 'Join link: on the session page', `Session page: ${input.sessionUrl}`]
      .filter(Boolean)
      .join('\n'),
    location: s.meetingUrl ?? input.sessionUrl,
    url: input.sessionUrl,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: input.attendee
      ? [
          {
            name: input.attendee.name,
            email: input.attendee.email,
            role: ICalAttendeeRole.REQ,
            status: cancel ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
            rsvp: false,
          },
        ]
      : [],
  });
  return calendar.toString();
};
