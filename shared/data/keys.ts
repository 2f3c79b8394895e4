/**
 * Every key the table holds is built here and nowhere else (see docs/access-patterns.md).
 * Ids reach these builders only after validation, so they never contain '#'.
 */
export const sessionKey = (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' });

/**
 * The tutor's booking terms a session was booked (or last moved) under, next to the session and
 * off its item (which every transition rewrites and the dashboards' indexes list): its sort key
 * begins with the session's, so one Query (`begins_with(sk, SESSION)`) reads both and nothing
 * else of the partition.
 */
export const sessionTermsKey = (sessionId: string) => ({ pk: sessionKey(sessionId).pk, sk: `${sessionKey(sessionId).sk}#TERMS` });

/** gsi1: a student's sessions by dashboard bucket, then time. */
export const studentPartition = (studentId: string) => `STUDENT#${studentId}`;
export const studentSessionIndex = (studentId: string, bucket: string, at: string, sessionId: string) => ({
  gsi1pk: studentPartition(studentId),
  gsi1sk: `${bucket}#${at}#${sessionId}`,
});

/** gsi2: a tutor's sessions by dashboard bucket, then start time. */
export const tutorPartition = (tutorId: string) => `TUTOR#${tutorId}`;
export const tutorSessionIndex = (tutorId: string, bucket: string, scheduledAt: string, sessionId: string) => ({
  gsi2pk: tutorPartition(tutorId),
  gsi2sk: `${bucket}#${scheduledAt}#${sessionId}`,
});

/** gsi3: sessions by status for operators. */
export const statusPartition = (status: string) => `STATUS#${status}`;
export const statusSessionIndex = (status: string, scheduledAt: string, sessionId: string) => ({
  gsi3pk: statusPartition(status),
  gsi3sk: `${scheduledAt}#${sessionId}`,
});

/** gsi3: all tutor profiles, for browsing. */
export const TUTORS_PARTITION = 'TUTORS';
export const tutorBrowseIndex = (tutorId: string) => ({ gsi3pk: TUTORS_PARTITION, gsi3sk: tutorId });

export const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'USER' });
/** A student's count of open requests (the slot-hoarding limit), next to the user. */
export const openRequestsKey = (studentId: string) => ({ pk: `USER#${studentId}`, sk: 'OPEN_REQUESTS' });

/**
 * A user's application to tutor, next to the user (one at a time: a declined one is replaced
 * by the next). gsi3 files it by status for admins, oldest first.
 */
export const tutorApplicationKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'TUTOR_APPLICATION' });
export const tutorApplicationStatusPartition = (status: string) => `TUTOR_APPLICATIONS#${status}`;
export const tutorApplicationStatusIndex = (status: string, submittedAt: string, userId: string) => ({
  gsi3pk: tutorApplicationStatusPartition(status),
  gsi3sk: `${submittedAt}#${userId}`,
});

export const tutorProfileKey = (tutorId: string) => ({ pk: tutorPartition(tutorId), sk: 'PROFILE' });
/** Dashboard counters of a tutor, kept in step with every transition in the same transaction. */
export const tutorStatsKey = (tutorId: string) => ({ pk: tutorPartition(tutorId), sk: 'STATS' });
/**
 * One item per 15-minute block a tutor's active booking covers. Booking puts them with
 * attribute_not_exists inside the booking's transaction, so the database itself refuses a
 * second booking that overlaps the first.
 */
export const HOLD_PREFIX = 'HOLD#';
export const holdKey = (tutorId: string, blockStart: string) => ({
  pk: tutorPartition(tutorId),
  sk: `${HOLD_PREFIX}${blockStart}`,
});

/**
 * One item per 15-minute block a Zoom host user's meeting covers (a pool host's, or a tutor's
 * own Zoom user's): put with attribute_not_exists in the transaction that assigns the host to
 * the session, so the database itself refuses a host two meetings at once. The user id or
 * email is lower-cased (Zoom compares emails case-insensitively).
 */
export const ZOOM_HOST_PREFIX = 'ZOOM_HOST#';
export const hostHoldKey = (hostUserId: string, blockStart: string) => ({
  pk: `${ZOOM_HOST_PREFIX}${hostUserId.toLowerCase()}`,
  sk: `${HOLD_PREFIX}${blockStart}`,
});

/** The Zoom user a tutor linked (their meetings are hosted by it), next to the user. */
export const zoomUserLinkKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'ZOOM_USER' });

/** A user's inbox, newest first: sk sorts by the notification's ULID. */
export const NOTIFICATION_PREFIX = 'NOTIFICATION#';
export const notificationKey = (userId: string, notificationId: string) => ({
  pk: `USER#${userId}`,
  sk: `${NOTIFICATION_PREFIX}${notificationId}`,
});
/**
 * The unread counter sorts after every notification ('~' > any ULID character), so the
 * newest-first inbox Query returns it first: the inbox and its unread count in one call.
 */
export const inboxCounterKey = (userId: string) => ({ pk: `USER#${userId}`, sk: `${NOTIFICATION_PREFIX}~UNREAD` });
/** Marks that an event was already stored for a user, so a retried producer stores it once. */
export const notificationDedupeKey = (userId: string, dedupeKey: string) => ({ pk: `USER#${userId}`, sk: `NOTIFIED#${dedupeKey}` });

/** A payment (one Paystack transaction), by our reference. */
export const paymentKey = (reference: string) => ({ pk: `PAYMENT#${reference}`, sk: 'PAYMENT' });

/**
 * The refund we owe for a payment, next to the payment: one per payment, so a second one
 * cannot be recorded. gsi3 files it by status for operators (newest first).
 */
export const REFUND_SK = 'REFUND';
export const refundKey = (reference: string) => ({ pk: paymentKey(reference).pk, sk: REFUND_SK });
export const refundStatusPartition = (status: string) => `REFUNDS#${status}`;
export const refundStatusIndex = (status: string, createdAt: string, reference: string) => ({
  gsi3pk: refundStatusPartition(status),
  gsi3sk: `${createdAt}#${reference}`,
});

/**
 * The tutor's ledger: one entry per money movement, keyed by the payment reference and the
 * kind (CREDIT, REVERSAL), so the same movement can never be written twice. A reversal is
 * keyed also by the payment's refunded total it brings about (refunds may come in parts).
 * References are ULID-based, so entries sort by when the payment began.
 */
export const LEDGER_PREFIX = 'LEDGER#';
export const ledgerEntryKey = (tutorId: string, reference: string, kind: 'CREDIT' | 'REVERSAL' | 'PAYOUT' | 'PAYOUT_REVERSAL', refundedTotal?: number) => ({
  pk: tutorPartition(tutorId),
  sk: `${LEDGER_PREFIX}${reference}#${kind}${refundedTotal === undefined ? '' : `#${refundedTotal}`}`,
});
/**
 * The wallet (balance and revenue totals) sorts after every ledger entry: newest-first reads
 * get it first. It also holds the tutor's payout account, the money in withdrawals not yet
 * settled (`pending`) and how many there are (`inFlight`): one item, so changing the account
 * and making a withdrawal exclude each other by a condition on it alone.
 */
export const walletKey = (tutorId: string) => ({ pk: tutorPartition(tutorId), sk: `${LEDGER_PREFIX}~WALLET` });

/**
 * A withdrawal, by its id (its Paystack reference is derived from it). gsi2 files it under its
 * tutor, newest first (a partition of its own, apart from the tutor's sessions); gsi3 by
 * status for operators, newest first.
 */
export const WITHDRAWAL_SK = 'WITHDRAWAL';
export const withdrawalKey = (withdrawalId: string) => ({ pk: `WITHDRAWAL#${withdrawalId}`, sk: WITHDRAWAL_SK });
export const tutorWithdrawalsPartition = (tutorId: string) => `TUTOR_WITHDRAWALS#${tutorId}`;
export const withdrawalStatusPartition = (status: string) => `WITHDRAWALS#${status}`;
export const withdrawalIndexes = (tutorId: string, status: string, withdrawalId: string) => ({
  gsi2pk: tutorWithdrawalsPartition(tutorId),
  gsi2sk: withdrawalId,
  gsi3pk: withdrawalStatusPartition(status),
  gsi3sk: withdrawalId,
});
/**
 * A withdrawal's day-old watch: written with it, expired by TTL a day later; its removal on
 * the stream makes the consumer look whether the withdrawal is still unsettled (an alarm).
 */
export const WITHDRAWAL_WATCH_SK = 'WITHDRAWAL_WATCH';
export const withdrawalWatchKey = (withdrawalId: string) => ({ pk: withdrawalKey(withdrawalId).pk, sk: WITHDRAWAL_WATCH_SK });

/**
 * A user's open WebSocket connections (API Gateway connection ids), in the user's partition:
 * the notifier reads them all with one Query. Expire with the connection (TTL `expiresAt`).
 */
export const CONNECTION_PREFIX = 'CONNECTION#';
export const userConnectionKey = (userId: string, connectionId: string) => ({ pk: `USER#${userId}`, sk: `${CONNECTION_PREFIX}${connectionId}` });
/** The same connection by its id alone ($disconnect knows only the id): says whose it is. */
export const connectionKey = (connectionId: string) => ({ pk: `${CONNECTION_PREFIX}${connectionId}`, sk: 'CONNECTION' });

/**
 * A review, under its tutor, keyed so that the newest sorts first: GET /tutors/{id} reads
 * the profile and the latest reviews in one Query (sk from `PROFILE` to `REVIEW#~`).
 */
export const REVIEW_PREFIX = 'REVIEW#';
export const reviewKey = (tutorId: string, createdAtMs: number, sessionId: string) => ({
  pk: tutorPartition(tutorId),
  sk: `${REVIEW_PREFIX}${String(9_999_999_999_999 - createdAtMs).padStart(13, '0')}#${sessionId}`,
});

/**
 * A session's video meeting, next to the session in its partition: the creation claim
 * (CREATING, with its owner and lease), then the meeting's id, join URL and the host's start
 * URL. Kept off the session item so that no session list or read can carry the start URL;
 * the session page reads both with one Query on the session's partition.
 */
export const MEETING_SK = 'MEETING';
export const meetingKey = (sessionId: string) => ({ pk: sessionKey(sessionId).pk, sk: MEETING_SK });

/**
 * Which session a Zoom meeting belongs to (Zoom's webhooks name only the meeting): written
 * with the meeting in the transaction that records it on the session.
 */
export const ZOOM_MEETING_PREFIX = 'ZOOM#';
export const zoomMeetingKey = (meetingId: string) => ({ pk: `${ZOOM_MEETING_PREFIX}${meetingId}`, sk: 'SESSION_OF' });

/**
 * One meeting instance's cloud recordings (a meeting started twice has two), in the session's
 * partition, keyed by Zoom's event and the instance's uuid so a redelivered event is stored
 * once. The prefix sorts before `MEETING`, outside the session page's Query.
 */
export const RECORDINGS_PREFIX = 'CLOUD_RECORDINGS#';
export const recordingsKey = (sessionId: string, event: string, meetingUuid: string) => ({
  pk: sessionKey(sessionId).pk,
  sk: `${RECORDINGS_PREFIX}${event}#${meetingUuid}`,
});

/**
 * What a decision (approve, reject, cancel, reschedule) tells the session's waiting workflow
 * execution, written in the decision's transaction, next to the session and keyed by the
 * session version the decision wrote (one per write). The table stream sends it to Step
 * Functions (functions/streams/startWorkflow.ts), so the request never waits for it.
 */
export const WORKFLOW_CALLBACK_PREFIX = 'CALLBACK#';
export const workflowCallbackKey = (sessionId: string, version: number) => ({
  pk: sessionKey(sessionId).pk,
  sk: `${WORKFLOW_CALLBACK_PREFIX}${String(version).padStart(6, '0')}`,
});

/**
 * What a move or a cancel leaves the session's video meeting to do (move it, delete it),
 * written in that transaction, next to the session and keyed by the session version it wrote.
 * The table stream does it (functions/streams/requestRefunds.ts), so the request never waits
 * for Zoom. The prefix sorts after `SESSION`, outside the session page's Query.
 */
export const MEETING_SYNC_PREFIX = 'ZOOM_SYNC#';
export const meetingSyncKey = (sessionId: string, version: number) => ({
  pk: sessionKey(sessionId).pk,
  sk: `${MEETING_SYNC_PREFIX}${String(version).padStart(6, '0')}`,
});

/** The item GET /health reads (it need not exist): the one key its IAM grant allows. */
export const HEALTH_PARTITION = 'HEALTH';
export const healthKey = () => ({ pk: HEALTH_PARTITION, sk: 'HEALTH' });

/** A user's time zone and the kinds of email they switched off, next to the user. */
export const emailPreferencesKey = (userId: string) => ({ pk: `USER#${userId}`, sk: 'EMAIL_PREFERENCES' });

/**
 * One notification's email: claimed before it is handed to SES, so a redelivered stream
 * record never sends it again (shared/usecases/email.ts). Expires after the stream's 24 h.
 */
export const emailSendKey = (notificationId: string) => ({ pk: `EMAIL#${notificationId}`, sk: 'SEND' });

/** An address that bounced for good or complained: sent nothing more. Lower-cased. */
export const emailSuppressionKey = (address: string) => ({ pk: `EMAIL_SUPPRESSED#${address.toLowerCase()}`, sk: 'SUPPRESSED' });
