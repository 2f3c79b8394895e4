/**
 * A user's email settings: their time zone and the optional kinds they get (GET/PUT
 * /me/preferences), the one-click unsubscribe of an email's link (no sign-in: the link is
 * signed), and the addresses SES reports as bouncing for good or complaining, which get
 * nothing more.
 */
import { systemClock, type Clock } from '../domain/clock';
import { MONEY_KINDS, OPTIONAL_KINDS, defaultPreferences, type EmailKind, type EmailPreferences, type OptionalKind } from '../domain/email';
import { ValidationError } from '../domain/errors';
import { ensureUserItem, getEmailPreferences, putEmailPreferences, suppressAddress, switchOffEmail, type SuppressionReason } from '../data/email';
import { ALL_KINDS, emailLinkSecret, readUnsubscribeToken } from '../email/links';
import type { Caller } from '../domain/caller';
import type { SesEvent } from '../schemas/email';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';

export interface PreferencesView extends EmailPreferences {
  alwaysSent: (typeof MONEY_KINDS)[number][];
}

const view = (prefs: EmailPreferences): PreferencesView => ({ ...prefs, timeZoneSet: prefs.timeZoneSet ?? false, alwaysSent: [...MONEY_KINDS] });

/**
 * The token's address and name are the caller's: the user item is made from them if missing
 * (the web client puts the browser's time zone here at sign-up, so the address is known by then).
 */
const remember = async (caller: Caller, at: string) => {
  if (caller.email) await ensureUserItem({ id: caller.userId, displayName: caller.name ?? caller.userId, email: caller.email, roles: caller.roles }, at);
};

/** Reads only (a GET route may not write): the user item is made by the first PUT. */
export const getMyPreferences = async (caller: Caller): Promise<PreferencesView> => view(await getEmailPreferences(caller.userId));

export const putMyPreferences = async (
  caller: Caller,
  body: { timeZone: string; email: Partial<Record<EmailKind, boolean>> },
  clock: Clock = systemClock,
): Promise<PreferencesView> => {
  const at = clock().toISOString();
  await remember(caller, at);
  // The zone as the browser named it: ICU may call it otherwise (Asia/Kolkata is Asia/Calcutta to some), and the user knows their own name.
  const prefs: EmailPreferences = { ...defaultPreferences(body.timeZone), timeZoneSet: true };
  for (const kind of OPTIONAL_KINDS) if (body.email[kind] === false) prefs.email[kind] = false;
  await putEmailPreferences(caller.userId, prefs, at);
  return view(prefs);
};

/** An unsubscribe link's POST: switches its kind (or every optional kind) off for its user. */
export const emailUnsubscribe = async (token: string, clock: Clock = systemClock): Promise<{ unsubscribed: OptionalKind[] }> => {
  const read = readUnsubscribeToken(await emailLinkSecret(), token);
  if (!read) throw new ValidationError('This unsubscribe link is not valid', [{ path: 'query.token', message: 'Not a valid unsubscribe token' }]);
  const kinds = read.scope === ALL_KINDS ? [...OPTIONAL_KINDS] : [read.scope];
  await switchOffEmail(read.userId, kinds, clock().toISOString());
  return { unsubscribed: kinds };
};

/**
 * An SES bounce or complaint: a permanent bounce or any complaint stops email to the address
 * (a transient bounce, a full mailbox, does not). Other events are not ours to act on.
 */
export const handleSesEvent = async (event: SesEvent, clock: Clock = systemClock): Promise<number> => {
  const type = event.eventType ?? event.notificationType;
  const at = clock().toISOString();
  let found: { addresses: string[]; reason: SuppressionReason; feedbackId: string | undefined } | undefined;
  if (type === 'Bounce' && event.bounce) {
    if (event.bounce.bounceType !== 'Permanent') {
      logger.info('A transient bounce: the address is kept', { bounceType: event.bounce.bounceType, messageId: event.mail?.messageId });
      return 0;
    }
    found = { addresses: event.bounce.bouncedRecipients.map((r) => r.emailAddress), reason: 'BOUNCE', feedbackId: event.bounce.feedbackId };
  } else if (type === 'Complaint' && event.complaint) {
    found = { addresses: event.complaint.complainedRecipients.map((r) => r.emailAddress), reason: 'COMPLAINT', feedbackId: event.complaint.feedbackId };
  }
  if (!found) return 0;
  for (const address of found.addresses) await suppressAddress(address, found.reason, at, found.feedbackId);
  count('EmailAddressesSuppressed', found.addresses.length);
  logger.warn('Email addresses suppressed', { reason: found.reason, count: found.addresses.length, messageId: event.mail?.messageId });
  return found.addresses.length;
};
