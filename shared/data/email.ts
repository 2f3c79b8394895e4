/**
 * What email needs from the table: each user's preferences, the claim that makes a
 * notification's email go out once, and the addresses SES told us not to write to again.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { defaultPreferences, isOptionalKind, isTimeZone, type EmailPreferences, type OptionalKind } from '../domain/email';
import { ddb } from './client';
import { emailPreferencesKey, emailSendKey, emailSuppressionKey, userKey } from './keys';

/**
 * The stored preferences, with every kind not switched off on. Stored as the set of kinds
 * switched off (`emailOff`), so that an unsubscribe is one ADD whether or not the item exists,
 * and a kind added later is on for everyone.
 */
export const getEmailPreferences = async (userId: string): Promise<EmailPreferences> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: emailPreferencesKey(userId) }));
  const zone = typeof Item?.timeZone === 'string' && isTimeZone(Item.timeZone) ? Item.timeZone : undefined;
  const prefs: EmailPreferences = { ...defaultPreferences(zone), timeZoneSet: zone !== undefined };
  const off = Item?.emailOff instanceof Set ? [...(Item.emailOff as Set<string>)] : [];
  for (const kind of off) if (isOptionalKind(kind)) prefs.email[kind] = false;
  return prefs;
};

/** Replaces the user's preferences (the whole of them: PUT). */
export const putEmailPreferences = async (userId: string, prefs: EmailPreferences, at: string): Promise<void> => {
  const off = Object.entries(prefs.email).flatMap(([k, on]) => (on ? [] : [k]));
  await ddb.send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: emailPreferencesKey(userId),
      UpdateExpression: `SET #type = :type, #tz = :tz, updatedAt = :at ${off.length > 0 ? ', emailOff = :off' : 'REMOVE emailOff'}`,
      ExpressionAttributeNames: { '#type': 'type', '#tz': 'timeZone' },
      ExpressionAttributeValues: { ':type': 'EmailPreferences', ':tz': prefs.timeZone, ':at': at, ...(off.length > 0 ? { ':off': new Set(off) } : {}) },
    }),
  );
};

/** Switches kinds off (an unsubscribe): one ADD, idempotent, whatever else the item holds. */
export const switchOffEmail = async (userId: string, kinds: readonly OptionalKind[], at: string): Promise<void> => {
  await ddb.send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: emailPreferencesKey(userId),
      UpdateExpression: 'SET #type = :type, updatedAt = :at ADD emailOff :off',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':type': 'EmailPreferences', ':at': at, ':off': new Set(kinds) },
    }),
  );
};

/** Kept a week: longer than the stream keeps a record (24 h), so no redelivery outlives it. */
const SEND_CLAIM_TTL_SECONDS = 7 * 24 * 3600;

export type SendClaim = { claimed: true } | { claimed: false; status: string };

/** Claims the sending of one notification's email; false with the claim's status if another run has it. */
export const claimEmailSend = async (notificationId: string, owner: string, at: Date): Promise<SendClaim> => {
  try {
    await ddb.send(
      new PutCommand({
        TableName: config().tableName,
        Item: {
          ...emailSendKey(notificationId),
          type: 'EmailSend',
          status: 'SENDING',
          owner,
          claimedAt: at.toISOString(),
          expiresAt: Math.floor(at.getTime() / 1000) + SEND_CLAIM_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { claimed: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    return { claimed: false, status: (e.Item?.status as { S?: string } | undefined)?.S ?? 'UNKNOWN' };
  }
};

/** The claim's outcome: SENT (with SES's message id), SKIPPED (nothing to send) or UNKNOWN (SES may or may not have it). */
export const settleEmailSend = async (notificationId: string, owner: string, status: 'SENT' | 'SKIPPED' | 'UNKNOWN', detail: Record<string, string>): Promise<void> => {
  await ddb.send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: emailSendKey(notificationId),
      UpdateExpression: 'SET #status = :status, detail = :detail',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
      ExpressionAttributeValues: { ':status': status, ':detail': detail, ':owner': owner },
    }),
  );
};

/** SES refused the message (it was not sent): the claim goes, so the retry may send it. */
export const releaseEmailSend = async (notificationId: string, owner: string): Promise<void> => {
  try {
    await ddb.send(
      new DeleteCommand({
        TableName: config().tableName,
        Key: emailSendKey(notificationId),
        ConditionExpression: '#owner = :owner AND #status = :sending',
        ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
        ExpressionAttributeValues: { ':owner': owner, ':sending': 'SENDING' },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};

export type SuppressionReason = 'BOUNCE' | 'COMPLAINT';

/** Stops email to `address` (a permanent bounce or a complaint); the first reason is kept. */
export const suppressAddress = async (address: string, reason: SuppressionReason, at: string, feedbackId: string | undefined): Promise<void> => {
  try {
    await ddb.send(
      new PutCommand({
        TableName: config().tableName,
        Item: { ...emailSuppressionKey(address), type: 'EmailSuppression', address: address.toLowerCase(), reason, at, ...(feedbackId ? { feedbackId } : {}) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};

export const isSuppressed = async (address: string): Promise<boolean> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: emailSuppressionKey(address), ProjectionExpression: 'pk' }));
  return Item !== undefined;
};

/**
 * The user item, made from the caller's token if there is none yet (a user who never signed
 * up through the identity flow still has an address to write to). Never overwrites one.
 */
export const ensureUserItem = async (user: { id: string; displayName: string; email: string; roles: string[] }, at: string): Promise<void> => {
  try {
    await ddb.send(
      new PutCommand({
        TableName: config().tableName,
        Item: { ...userKey(user.id), type: 'User', ...user, createdAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};
