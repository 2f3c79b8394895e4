/**
 * The email as a MIME message (nodemailer's MailComposer), sent to SES as raw content: that
 * is how the calendar invite travels the way mail clients recognise it (a text/calendar;
 * method=… alternative beside the text and HTML, and the same as an invite.ics attachment),
 * and how the one-click unsubscribe headers (RFC 8058) reach the recipient unchanged.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type { InviteMethod } from './invite';

export interface OutgoingEmail {
  from: { name: string; address: string };
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** The one-click unsubscribe URL (optional kinds): List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl: string | null;
  invite: { method: InviteMethod; ics: string } | null;
  /** Ties the message to what caused it, for support and for the mail catcher's tests. */
  notificationId: string;
}

export const composeMime = (mail: OutgoingEmail): Promise<Buffer> =>
  new MailComposer({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: {
      'X-Mentorship-Notification': mail.notificationId,
      ...(mail.unsubscribeUrl ? { 'List-Unsubscribe': `<${mail.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
    },
    ...(mail.invite ? { icalEvent: { method: mail.invite.method, filename: 'invite.ics', content: mail.invite.ics } } : {}),
  })
    .compile()
    .build();
