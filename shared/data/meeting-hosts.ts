/**
 * Who hosts a session's Zoom meeting. A Zoom user hosts one meeting at a time, so the host's
 * 15-minute blocks (`ZOOM_HOST#<user>`, `HOLD#<block>`) are held like a tutor's: put with
 * attribute_not_exists in the transaction that names the host on the session (`meetingHost`),
 * moved with a reschedule and released with a cancel in the session's own transactions
 * (./sessions.ts). A tutor's own Zoom user, once linked, is kept next to the user item.
 */
import * as z from '../schemas/zod';
import { entity, sameShape } from './entity';
import { keyText } from './access-text';
import { zoomUserLinkKey } from './keys';
import { deleteItem, getItem, putItem } from './ops';
import { hostHoldItems, hostReleaseItems, meetingHostBlocks, sessionReplacement, StaleSessionError, type StoredSession } from './sessions';
import { transactWrite } from './transact';

/** The host's blocks are taken by another session's meeting. */
export class HostBusyError extends Error {
  constructor(host: string) {
    super(`Zoom host ${host} has another meeting at that time`);
    this.name = 'HostBusy';
  }
}

/**
 * Names `host` on the session and holds its blocks, in one transaction: StaleSessionError if
 * the session changed since it was read, HostBusyError if any block is held already.
 */
export const assignMeetingHost = async (s: StoredSession, host: string): Promise<StoredSession> => {
  const { put, stored } = sessionReplacement(s, { ...s, meetingHost: host });
  await transactWrite([put, ...hostHoldItems(host, s.id, meetingHostBlocks(s))], (failed) => (failed.includes(0) ? new StaleSessionError() : new HostBusyError(host)));
  return stored;
};

/** Takes the host off a session that got no meeting (the tutor is asked for a link), freeing its blocks. */
export const releaseMeetingHost = async (s: StoredSession): Promise<StoredSession> => {
  if (!s.meetingHost) return s;
  const { meetingHost, ...rest } = s;
  const { put, stored } = sessionReplacement(s, rest);
  await transactWrite([put, ...hostReleaseItems(meetingHost, s.id, meetingHostBlocks(s))], () => new StaleSessionError());
  return stored;
};

export interface ZoomUserLink {
  /** Zoom's user id (what meetings are created for). */
  zoomUserId: string;
  email: string;
  linkedAt: string;
}

const storedLink = z.object({ zoomUserId: z.string(), email: z.string(), linkedAt: z.string() });
sameShape<z.output<typeof storedLink>, ZoomUserLink>(true);

export const ZoomUserLinkEntity = entity({
  type: 'ZoomUserLink',
  about: 'ZoomUserLink (a tutor’s own Zoom user: `zoomUserId`, `email`, `linkedAt`)',
  key: zoomUserLinkKey,
  schema: storedLink,
  sample: () => zoomUserLinkKey('<id>'),
  accessPatterns: () => [{ pattern: "a tutor's own Zoom user", key: keyText(zoomUserLinkKey('<id>')), operation: 'GetItem, Put, Delete' }],
});

export const getZoomUserLink = async (userId: string): Promise<ZoomUserLink | undefined> => {
  const item = await getItem(ZoomUserLinkEntity.key(userId));
  return item ? ZoomUserLinkEntity.parse(item) : undefined;
};

export const putZoomUserLink = async (userId: string, link: ZoomUserLink): Promise<void> => {
  await putItem({ Item: { ...ZoomUserLinkEntity.key(userId), userId, ...ZoomUserLinkEntity.item(link) } });
};

export const deleteZoomUserLink = async (userId: string): Promise<void> => {
  await deleteItem({ Key: ZoomUserLinkEntity.key(userId) });
};
