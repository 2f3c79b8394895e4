/**
 * The words of each email, by kind: a subject, a heading, paragraphs, a few labelled facts
 * and one button. Plain data: layout.ts turns it into the plain-text and HTML bodies (and
 * escapes it), so nothing here is markup. Times are in the recipient's zone.
 */
import type { EmailKind } from '../domain/email';
import { splitRevenue, type Money } from '../domain/money';
import type { Notification, NotificationFacts } from '../domain/notifications';
import type { Session } from '../domain/session';
import { paymentDeadline } from '../domain/timeline';

export interface EmailContext {
  kind: EmailKind;
  notification: Pick<Notification, 'event' | 'title' | 'body' | 'sessionId'>;
  facts: NotificationFacts | undefined;
  /** The session as it is now (its meeting link, price, deadlines); absent for notifications about no session. */
  session: Session | undefined;
  recipient: { name: string; role: 'student' | 'tutor' | 'user' };
  timeZone: string;
  /** Absolute links into the web client. */
  links: { action: string; session: string | null; preferences: string };
}

export interface EmailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  facts: [label: string, value: string][];
  action: { label: string; url: string };
}

/** "Tue, 3 Mar 2026, 11:00 (Africa/Lagos, GMT+1)": the zone named, so nobody guesses. */
export const formatTime = (iso: string, timeZone: string): string => {
  const date = new Date(iso);
  const main = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value;
  return `${main} (${timeZone}${offset && offset !== timeZone ? `, ${offset}` : ''})`;
};

export const formatMoney = (m: Money): string => `${m.currency} ${(m.amount / 100).toLocaleString('en-NG', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** How far ahead a reminder is, in words: a session's start, or a request's approval deadline. */
const REMINDER_LEADS: Record<string, string> = { '24h': 'tomorrow', '15m': 'in 15 minutes' };
const DEADLINE_LEADS: Record<string, string> = { '24h': 'in 24 hours', '2h': 'in 2 hours' };

/** The email of a notification about a session. */
const sessionEmail = (ctx: EmailContext, s: Session): EmailContent => {
  const at = (iso: string) => formatTime(iso, ctx.timeZone);
  const when = at(ctx.facts?.scheduledAt ?? s.scheduledAt);
  const title = `"${s.title}"`;
  const other = ctx.recipient.role === 'tutor' ? s.student.displayName : s.tutor.displayName;
  const withWhom: [string, string] = [ctx.recipient.role === 'tutor' ? 'Student' : 'Tutor', other];
  const basics: [string, string][] = [['Session', s.title], withWhom, ['When', when], ['Duration', `${s.durationMinutes} minutes`]];
  const join: [string, string] = ['Join link', s.meetingUrl ?? 'Not set yet: it will be on the session page'];
  const action = (label: string) => ({ label, url: ctx.links.action });
  const leads = ctx.kind === 'APPROVAL_DEADLINE_APPROACHING' ? DEADLINE_LEADS : REMINDER_LEADS;
  const lead = ctx.facts?.lead ? (leads[ctx.facts.lead] ?? 'soon') : 'soon';
  switch (ctx.kind) {
    case 'REQUEST_RECEIVED':
      return {
        subject: `New session request: ${title} on ${when}`,
        heading: 'New session request',
        paragraphs: [`${s.student.displayName} asked for a session with you.`, 'If you do not answer by the deadline below, the request expires and the slot is released.'],
        facts: [...basics, ...(s.notes ? ([['Notes', s.notes]] as [string, string][]) : []), ['Answer by', at(s.approvalDeadline ?? s.scheduledAt)]],
        action: action('Review Request'),
      };
    case 'APPROVAL_DEADLINE_APPROACHING':
      return {
        subject: `Answer ${lead}: request for ${title}`,
        heading: `A request expires ${lead}`,
        paragraphs: [`${s.student.displayName}'s request is still waiting for your answer. If you do not answer by the deadline, it expires.`],
        facts: [...basics, ['Answer by', at(s.approvalDeadline ?? s.scheduledAt)]],
        action: action('Review Request'),
      };
    case 'REQUEST_APPROVED': {
      const deadline = s.paymentDeadline ?? paymentDeadline(s).toISOString();
      return {
        subject: `Approved: pay by ${at(deadline)} to book ${title}`,
        heading: 'Your request was approved',
        paragraphs: [`${s.tutor.displayName} approved your request. Pay before the deadline to confirm the booking; after it, the slot is released.`],
        facts: [...basics, ['Price', formatMoney(s.price)], ['Pay by', at(deadline)]],
        action: action('Proceed to Payment'),
      };
    }
    case 'REQUEST_REJECTED': {
      const reason = ctx.facts?.reason ?? s.approvalNotes;
      return {
        subject: `Declined: ${title}`,
        heading: 'Your request was declined',
        paragraphs: [`${s.tutor.displayName} declined your request for ${when}.`, ...(reason ? [`Reason: ${reason}`] : []), 'Nothing was charged. Other tutors may have time.'],
        facts: basics,
        action: action('Browse Mentors'),
      };
    }
    case 'REQUEST_EXPIRED':
      return {
        subject: `Expired: request for ${title}`,
        heading: 'A request expired',
        paragraphs: [
          ctx.recipient.role === 'tutor'
            ? `The request from ${s.student.displayName} was not answered before its deadline and has expired.`
            : `${s.tutor.displayName} did not answer your request in time, so it has expired. Nothing was charged.`,
        ],
        facts: basics,
        action: action(ctx.recipient.role === 'tutor' ? 'View Session' : 'Browse Mentors'),
      };
    case 'BOOKING_CONFIRMED':
      return {
        subject: `Booked: ${title} on ${when}`,
        heading: 'Your session is booked',
        paragraphs: [
          ctx.recipient.role === 'tutor'
            ? `${s.student.displayName} paid for the session. You earn ${formatMoney(splitRevenue(s.price).tutorShare)}.`
            : `Your payment of ${formatMoney(s.price)} was received and the session is booked.`,
          'The calendar invite attached keeps your calendar up to date if the session moves or is cancelled.',
        ],
        facts: [...basics, join],
        action: action('View Session'),
      };
    case 'SESSION_REMINDER':
      return {
        subject: `Starts ${lead}: ${title}`,
        heading: `Your session starts ${lead}`,
        paragraphs: [`${title} with ${other} starts at ${when}.`],
        facts: [...basics, join],
        action: action('Join Session'),
      };
    case 'SESSION_RESCHEDULED': {
      const previous = ctx.facts?.previousScheduledAt;
      return {
        subject: `Moved: ${title} is now on ${when}`,
        heading: 'Your session was moved',
        paragraphs: [`${title} was moved${previous ? ` from ${at(previous)}` : ''} to ${when}.`],
        facts: [...basics, ...(previous ? ([['Was', at(previous)]] as [string, string][]) : []), join],
        action: action('View Session'),
      };
    }
    case 'SESSION_CANCELLED': {
      const reason = ctx.facts?.reason ?? s.cancellationReason;
      return {
        subject: `Cancelled: ${title} on ${when}`,
        heading: 'A session was cancelled',
        paragraphs: [`${title} on ${when} was cancelled.`, ...(reason ? [`Reason: ${reason}`] : [])],
        facts: basics,
        action: action('View Session'),
      };
    }
    case 'REFUND_ISSUED': {
      const amount = ctx.facts?.refund ?? s.price;
      return {
        subject: `Refund of ${formatMoney(amount)}: ${title}`,
        heading: 'Your refund is on its way',
        paragraphs: [`${formatMoney(amount)} for ${title} is on its way back to you. Banks usually take a few working days to show it.`],
        facts: [...basics, ['Refund', formatMoney(amount)]],
        action: action('View Session'),
      };
    }
    case 'MEETING_LINK_NEEDED':
      return {
        subject: `Add a meeting link: ${title} on ${when}`,
        heading: 'Your session needs a meeting link',
        paragraphs: [`We could not create a Zoom meeting for ${title}. Please add a meeting link on the session page so that ${s.student.displayName} can join.`],
        facts: basics,
        action: action('Add Meeting Link'),
      };
    case 'RECORDING_READY':
      return {
        subject: `Recording ready: ${title}`,
        heading: 'The recording is ready',
        paragraphs: [`The recording of ${title} on ${when} is ready to watch.`],
        facts: basics,
        action: action('View Recording'),
      };
    case 'TUTOR_APPLICATION_DECIDED':
    case 'PAYOUT_ACCOUNT_CHANGED':
    case 'WITHDRAWAL_SUCCEEDED':
    case 'WITHDRAWAL_FAILED':
      return plainEmail(ctx);
  }
};

/** A notification about no session (a tutor application, a payout): its own title and body. */
const plainEmail = (ctx: EmailContext): EmailContent => ({
  subject: ctx.notification.title,
  heading: ctx.notification.title,
  paragraphs: [ctx.notification.body],
  facts: [],
  action: { label: 'Open', url: ctx.links.action },
});

/** Every email about a session links its page, also when its button goes elsewhere (the approvals list, mentors). */
export const emailContent = (ctx: EmailContext): EmailContent => {
  if (!ctx.session) return plainEmail(ctx);
  const content = sessionEmail(ctx, ctx.session);
  const page = ctx.links.session;
  return page && content.action.url !== page ? { ...content, facts: [...content.facts, ['Session page', page]] } : content;
};
