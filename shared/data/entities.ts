/**
 * Every kind of item the table holds, each declared beside its module: what
 * docs/access-patterns.md is written from (its items and, from each one's `accessPatterns`, its
 * access patterns) and shared/data/access-patterns.test.ts walks. A new entity goes here too, with
 * its access patterns (the test fails while an `entity({…})` of shared/data is missing here, a
 * key builder of ./keys.ts belongs to none, or an entity read back declares no access pattern).
 * Only the document and the tests import this: a function loads the modules it uses.
 */
import * as z from '../schemas/zod';
import { ConnectionEntity, ConnectionLookup } from './connections';
import { EmailPreferencesEntity, EmailSend, EmailSuppression } from './email';
import { entity } from './entity';
import { keyText } from './access-text';
import { Hold, HostHold } from './holds';
import { healthKey } from './keys';
import { ZoomUserLinkEntity } from './meeting-hosts';
import { MeetingSyncEntity } from './meeting-sync';
import { Meeting, ZoomMeeting } from './meetings';
import { InboxCounter, NotificationDedupe, NotificationEntity } from './notifications';
import { PaymentEntity } from './payments';
import { Recordings } from './recordings';
import { RefundEntity } from './refunds';
import { ReviewEntity } from './reviews';
import { SessionTermsEntity } from './session-terms';
import { OpenRequests, SessionEntity } from './sessions';
import { TutorStats } from './stats';
import { TutorApplicationEntity } from './tutor-applications';
import { TutorProfileEntity } from './tutors';
import { UserEntity } from './users';
import { LedgerEntryEntity, WalletEntity } from './wallet';
import { WithdrawalEntity, WithdrawalWatch } from './withdrawals';
import { WorkflowCallbackEntity } from './workflow-callbacks';

/**
 * The item GET /health reads (it need not exist). Declared here, not in ./health.ts: the probe
 * loads the bare DynamoDB client and nothing else.
 */
export const Health = entity({
  type: 'Health',
  about: 'Health (read by GET /health; need not exist)',
  key: healthKey,
  schema: z.object({}),
  sample: () => healthKey(),
  accessPatterns: () => [{ pattern: 'GET /health', key: `${keyText(healthKey())} (need not exist; the one key its grant allows)`, operation: 'GetItem' }],
});

/** In the order the document lists them. */
export const ENTITIES = [
  SessionEntity,
  SessionTermsEntity,
  UserEntity,
  OpenRequests,
  TutorApplicationEntity,
  TutorProfileEntity,
  TutorStats,
  Hold,
  ReviewEntity,
  NotificationEntity,
  InboxCounter,
  NotificationDedupe,
  ConnectionEntity,
  ConnectionLookup,
  Meeting,
  ZoomMeeting,
  Recordings,
  HostHold,
  ZoomUserLinkEntity,
  PaymentEntity,
  RefundEntity,
  LedgerEntryEntity,
  WalletEntity,
  WithdrawalEntity,
  WithdrawalWatch,
  WorkflowCallbackEntity,
  MeetingSyncEntity,
  EmailPreferencesEntity,
  EmailSend,
  EmailSuppression,
  Health,
] as const;
