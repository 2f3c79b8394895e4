/**
 * What email needs from the table: each user's preferences, the claim that makes a
 * notification's email go out once, and the addresses SES told us not to write to again.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { defaultPreferences, isOptionalKind, isTimeZone, type EmailPreferences, type OptionalKind } from '../domain/email';
import * as z from '../schemas/zod';
import { entity } from './entity';
import { keyText } from './access-text';
import { emailPreferencesKey, emailSendKey, emailSuppressionKey } from './keys';
import { deleteItem, getItem, putItem, updateItem } from './ops';
import { UserEntity, type User } from './users';

/** A user's time zone and the kinds of email they switched off (a set, so that an unsubscribe is one ADD). */
export const EmailPreferencesEntity = entity({
  type: 'EmailPreferences',
  about: 'EmailPreferences (the user’s `timeZone` and `emailOff`, the kinds of email switched off)',
  key: emailPreferencesKey,
  // A zone or kind that is no longer one (a renamed zone, a retired kind) is ignored, not an error.
  schema: z.object({ timeZone: z.optional(z.string()), emailOff: z.optional(z.set(z.string())), updatedAt: z.optional(z.string()) }),
  sample: () => emailPreferencesKey('<id>'),
  accessPatterns: () => [
    {
      pattern: "a user's email preferences (GET and PUT /me/preferences, each email sent, an unsubscribe)",
      key: `${keyText(emailPreferencesKey('<id>'))}; PUT replaces them (\`SET\`), an unsubscribe is one \`ADD emailOff\``,
      operation: 'GetItem, UpdateItem',
    },
  ],
});

/** One notification's email, claimed before it is handed to SES so a redelivered record never sends it again. */
export const EmailSend = entity({
  type: 'EmailSend',
  about: 'EmailSend (the claim on one notification’s email: `status` SENDING → SENT / SKIPPED / UNKNOWN, `owner`; TTL `expiresAt` a week on)',
  key: emailSendKey,
  schema: z.object({ status: z.string(), owner: z.string(), claimedAt: z.string(), expiresAt: z.number() }),
  sample: () => emailSendKey('<notificationId>'),
  accessPatterns: () => [
    {
      pattern: "a notification's email, sent once",
      key: `Put ${keyText(emailSendKey('<notificationId>'))} with \`attribute_not_exists(pk)\` (the claim, its \`owner\`); then Update \`status\` (\`owner = :me\`), or Delete (\`owner = :me AND status = SENDING\`) when SES refused it`,
      operation: 'PutItem, UpdateItem, DeleteItem',
    },
  ],
});

/** An address that bounced for good or complained: sent nothing more. */
export const EmailSuppression = entity({
  type: 'EmailSuppression',
  about: 'EmailSuppression (an address SES reported a permanent bounce or a complaint for: `reason`, `at`)',
  key: emailSuppressionKey,
  schema: z.object({ address: z.string(), reason: z.enum(['BOUNCE', 'COMPLAINT']), at: z.string(), feedbackId: z.optional(z.string()) }),
  sample: () => emailSuppressionKey('<address, lower-case>'),
  accessPatterns: () => [
    {
      pattern: 'an address not to email',
      key: `${keyText(emailSuppressionKey('<address>'))}: Put on a permanent bounce or a complaint (the SES events), read before each send`,
      operation: 'PutItem, GetItem',
    },
  ],
});

/**
 * The stored preferences, with every kind not switched off on. Stored as the set of kinds
 * switched off (`emailOff`), so that an unsubscribe is one ADD whether or not the item exists,
 * and a kind added later is on for everyone.
 */
export const getEmailPreferences = async (userId: string): Promise<EmailPreferences> => {
  const item = await getItem(EmailPreferencesEntity.key(userId));
  const stored = item ? EmailPreferencesEntity.parse(item) : undefined;
  const zone = stored?.timeZone !== undefined && isTimeZone(stored.timeZone) ? stored.timeZone : undefined;
  const prefs: EmailPreferences = { ...defaultPreferences(zone), timeZoneSet: zone !== undefined };
  const off = stored?.emailOff ? [...stored.emailOff] : [];
  for (const kind of off) if (isOptionalKind(kind)) prefs.email[kind] = false;
  return prefs;
};

/** Replaces the user's preferences (the whole of them: PUT). */
export const putEmailPreferences = async (userId: string, prefs: EmailPreferences, at: string): Promise<void> => {
  const off = Object.entries(prefs.email).flatMap(([k, on]) => (on ? [] : [k]));
  await updateItem({
    Key: EmailPreferencesEntity.key(userId),
    UpdateExpression: `SET #type = :type, #tz = :tz, updatedAt = :at ${off.length > 0 ? ', emailOff = :off' : 'REMOVE emailOff'}`,
    ExpressionAttributeNames: { '#type': 'type', '#tz': 'timeZone' },
    ExpressionAttributeValues: { ':type': EmailPreferencesEntity.type, ':tz': prefs.timeZone, ':at': at, ...(off.length > 0 ? { ':off': new Set(off) } : {}) },
  });
};

/** Switches kinds off (an unsubscribe): one ADD, idempotent, whatever else the item holds. */
export const switchOffEmail = async (userId: string, kinds: readonly OptionalKind[], at: string): Promise<void> => {
  await updateItem({
    Key: EmailPreferencesEntity.key(userId),
    UpdateExpression: 'SET #type = :type, updatedAt = :at ADD emailOff :off',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':type': EmailPreferencesEntity.type, ':at': at, ':off': new Set(kinds) },
  });
};

/** Kept a week: longer than the stream keeps a record (24 h), so no redelivery outlives it. */
const SEND_CLAIM_TTL_SECONDS = 7 * 24 * 3600;

export type SendClaim = { claimed: true } | { claimed: false; status: string };

/** Claims the sending of one notification's email; false with the claim's status if another run has it. */
export const claimEmailSend = async (notificationId: string, owner: string, at: Date): Promise<SendClaim> => {
  try {
    await putItem({
      Item: {
        ...EmailSend.key(notificationId),
        ...EmailSend.item({ status: 'SENDING', owner, claimedAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + SEND_CLAIM_TTL_SECONDS }),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return { claimed: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    return { claimed: false, status: (e.Item?.status as { S?: string } | undefined)?.S ?? 'UNKNOWN' };
  }
};

/** The claim's outcome: SENT (with SES's message id), SKIPPED (nothing to send) or UNKNOWN (SES may or may not have it). */
export const settleEmailSend = async (notificationId: string, owner: string, status: 'SENT' | 'SKIPPED' | 'UNKNOWN', detail: Record<string, string>): Promise<void> => {
  await updateItem({
    Key: EmailSend.key(notificationId),
    UpdateExpression: 'SET #status = :status, detail = :detail',
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
    ExpressionAttributeValues: { ':status': status, ':detail': detail, ':owner': owner },
  });
};

/** SES refused the message (it was not sent): the claim goes, so the retry may send it. */
export const releaseEmailSend = async (notificationId: string, owner: string): Promise<void> => {
  try {
    await deleteItem({
      Key: EmailSend.key(notificationId),
      ConditionExpression: '#owner = :owner AND #status = :sending',
      ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
      ExpressionAttributeValues: { ':owner': owner, ':sending': 'SENDING' },
    });
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};

export type SuppressionReason = 'BOUNCE' | 'COMPLAINT';

/** Stops email to `address` (a permanent bounce or a complaint); the first reason is kept. */
export const suppressAddress = async (address: string, reason: SuppressionReason, at: string, feedbackId: string | undefined): Promise<void> => {
  try {
    await putItem({
      Item: { ...EmailSuppression.key(address), ...EmailSuppression.item({ address: address.toLowerCase(), reason, at, ...(feedbackId ? { feedbackId } : {}) }) },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};

export const isSuppressed = async (address: string): Promise<boolean> => {
  return (await getItem(EmailSuppression.key(address), { ProjectionExpression: 'pk' })) !== undefined;
};

/**
 * The user item, made from the caller's token if there is none yet (a user who never signed
 * up through the identity flow still has an address to write to). Never overwrites one.
 */
export const ensureUserItem = async (user: Omit<User, 'createdAt'>, at: string): Promise<void> => {
  try {
    await putItem({ Item: UserEntity.item({ ...user, createdAt: at }), ConditionExpression: 'attribute_not_exists(pk)' });
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};
