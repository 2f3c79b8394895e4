/**
 * A stored notification, emailed (the table stream's emailNotifications consumer): to the
 * user's address, unless the kind is not emailed, the user switched it off, or the address
 * bounced or complained; rendered from the repository's templates in the user's time zone;
 * with a calendar invite when the booking is confirmed, moved or cancelled. At most one email
 * per notification, at the cost of a rare lost one (see the claim below).
 */
import { randomUUID } from 'node:crypto';
import { emailSender, frontendUrl } from '../config';
import { emailKindOf, isOptionalKind, wantsEmail, type EmailKind } from '../domain/email';
import { systemClock, type Clock } from '../domain/clock';
import { PAGES, type NotificationFacts } from '../domain/notifications';
import type { Session } from '../domain/session';
import { claimEmailSend, getEmailPreferences, isSuppressed, releaseEmailSend, settleEmailSend } from '../data/email';
import { notificationFromItem } from '../data/notifications';
import { getSession, type StoredSession } from '../data/sessions';
import { getUser } from '../data/users';
import { composeMime } from '../email/compose';
import { sessionInvite, type InviteMethod } from '../email/invite';
import { PRODUCT_NAME, renderHtml, renderText } from '../email/layout';
import { emailLinkSecret, preferencesUrl, unsubscribePageUrl, unsubscribeToken, unsubscribeUrl } from '../email/links';
import { emailContent, type EmailContext } from '../email/templates';
import { notSent, sendRawEmail, type SendRawEmail } from '../integrations/ses';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';

export interface EmailDeps {
  clock: Clock;
  send: SendRawEmail;
}

export const defaultEmailDeps: EmailDeps = { clock: systemClock, send: sendRawEmail };

export type EmailOutcome = 'sent' | 'not-emailed' | 'no-address' | 'switched-off' | 'suppressed' | 'stale' | 'already-claimed' | 'unknown';

/** Which invite an email of this kind carries: only for a booking that was confirmed (paid). */
const inviteMethod = (kind: EmailKind, s: Session): InviteMethod | null => {
  const booked = s.paymentStatus === 'PAID' || s.paymentStatus === 'REFUNDED';
  if (!booked) return null;
  if (kind === 'BOOKING_CONFIRMED' || kind === 'SESSION_RESCHEDULED') return s.status === 'CANCELLED' ? null : 'REQUEST';
  if (kind === 'SESSION_CANCELLED') return 'CANCEL';
  return null;
};

const absolute = (href: string): string => (/^https?:\/\//.test(href) ? href : `${frontendUrl()}${href.startsWith('/') ? '' : '/'}${href}`);

export const emailNotification = async (item: Record<string, unknown>, deps: EmailDeps = defaultEmailDeps): Promise<EmailOutcome> => {
  const n = notificationFromItem(item);
  const facts = item.facts as NotificationFacts | undefined;
  const kind = emailKindOf(n.event);
  const fields = { notificationId: n.id, event: n.event, userId: n.userId, sessionId: n.sessionId };
  if (!kind) return 'not-emailed';

  const user = await getUser(n.userId);
  if (!user?.email) {
    logger.info('No email address for the user: notification not emailed', fields);
    return 'no-address';
  }
  const prefs = await getEmailPreferences(n.userId);
  if (!wantsEmail(prefs, kind)) return 'switched-off';
  if (await isSuppressed(user.email)) return 'suppressed';

  const session: StoredSession | undefined = n.sessionId ? await getSession(n.sessionId) : undefined;
  // A reminder that comes after the session began (the stream was behind) would only confuse.
  if (kind === 'SESSION_REMINDER' && session && Date.parse(session.scheduledAt) <= deps.clock().getTime()) return 'stale';

  const role = session?.studentId === n.userId ? 'student' : session?.tutorId === n.userId ? 'tutor' : 'user';
  const sessionUrl = session ? absolute(PAGES.session(session.id)) : null;
  const ctx: EmailContext = {
    kind,
    notification: n,
    facts,
    session,
    recipient: { name: user.displayName, role },
    timeZone: prefs.timeZone,
    links: { action: absolute(n.action?.href ?? '/'), session: sessionUrl, preferences: preferencesUrl() },
  };
  const content = emailContent(ctx);
  const token = isOptionalKind(kind) ? unsubscribeToken(await emailLinkSecret(), n.userId, kind) : null;
  const unsubscribe = token ? unsubscribeUrl(token) : null;
  const footer = { preferencesUrl: preferencesUrl(), unsubscribeUrl: token ? unsubscribePageUrl(token) : null };
  const sender = emailSender();
  const method = session ? inviteMethod(kind, session) : null;
  const invite =
    session && method && sessionUrl
      ? {
          method,
          ics: sessionInvite({
            session,
            method,
            sequence: Math.max(session.version, facts?.version ?? 0),
            stamp: n.createdAt,
            organizer: { name: PRODUCT_NAME, email: sender.address },
            attendee: { name: user.displayName, email: user.email },
            sessionUrl,
            uidDomain: sender.address.split('@')[1]!,
          }),
        }
      : null;
  const raw = await composeMime({
    from: { name: PRODUCT_NAME, address: sender.address },
    to: { name: user.displayName, address: user.email },
    subject: content.subject,
    text: renderText(content, footer),
    html: renderHtml(content, footer),
    unsubscribeUrl: unsubscribe,
    invite,
    notificationId: n.id,
  });

  // SES has no idempotency key, so the send is claimed first (a conditional put keyed by the
  // notification id) and only the run holding the claim calls SES:
  // - SES answered with an error, or was never reached: the message was not accepted; the claim
  //   is released and the record fails, so the stream retries it (then the dead-letter queue and its alarm);
  // - the outcome is unknown (a timeout, a connection cut mid-request), or the run died between the
  //   claim and the record of the send: the claim stays, and a retry finds it and sends nothing.
  // Such a message may be lost (EmailsUnknownOutcome, an error log) but is never sent twice: a
  // duplicate payment reminder or invite does more harm than the rare lost one, which the inbox
  // and the push still carry.
  const owner = randomUUID();
  const claim = await claimEmailSend(n.id, owner, deps.clock());
  if (!claim.claimed) {
    // A redelivery: sent already, or a run that may have sent it.
    if (claim.status !== 'SENT') logger.warn('Email of this notification was claimed by an earlier run that did not finish; not sent again', { ...fields, status: claim.status });
    return 'already-claimed';
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.send({ from: sender.address, to: user.email, raw, configurationSet: sender.configurationSet, tags: { kind, notification: n.id } }));
  } catch (e) {
    if (notSent(e)) {
      await releaseEmailSend(n.id, owner);
      throw e;
    }
    logger.error('SES may or may not have accepted the email; it is not sent again', { ...fields, error: e as Error });
    count('EmailsUnknownOutcome');
    await settleEmailSend(n.id, owner, 'UNKNOWN', { error: String(e) });
    return 'unknown';
  }
  count('EmailsSent');
  await settleEmailSend(n.id, owner, 'SENT', { messageId, kind });
  return 'sent';
};
