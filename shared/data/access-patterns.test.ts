/** Keeps docs/access-patterns.md true: every index and key prefix the code uses is documented. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE } from './table';
import * as keys from './keys';

const doc = readFileSync(join(__dirname, '../../docs/access-patterns.md'), 'utf8');

describe('The access-patterns document', () => {
  it('names every index of the table definition', () => {
    for (const index of TABLE.indexes) expect(doc).toContain(`${index.name} `);
  });

  it('names every key prefix that the key builders produce', () => {
    const built = [
      keys.sessionKey('x').pk,
      keys.studentPartition('x'),
      keys.tutorPartition('x'),
      keys.statusPartition('x'),
      keys.userKey('x').pk,
      keys.openRequestsKey('x').sk,
      keys.tutorProfileKey('x').sk,
      keys.tutorStatsKey('x').sk,
      keys.holdKey('x', 'y').sk,
      keys.ZOOM_HOST_PREFIX,
      keys.zoomUserLinkKey('x').sk,
      keys.TUTORS_PARTITION,
      keys.meetingKey('x').sk,
      keys.userConnectionKey('x', 'y').sk,
      keys.connectionKey('x').pk,
      keys.connectionKey('x').sk,
      keys.zoomMeetingKey('x').pk,
      keys.zoomMeetingKey('x').sk,
      keys.RECORDINGS_PREFIX,
      keys.refundKey('x').sk,
      keys.refundStatusPartition('x'),
      keys.tutorApplicationKey('x').sk,
      keys.tutorApplicationStatusPartition('x'),
      keys.withdrawalKey('x').pk,
      keys.WITHDRAWAL_SK,
      keys.WITHDRAWAL_WATCH_SK,
      keys.tutorWithdrawalsPartition('x'),
      keys.withdrawalStatusPartition('x'),
    ];
    for (const key of built) expect(doc).toContain(key.replace(/x$|y$/, ''));
  });
});
