/** The caller's own inbox: nobody reads or marks another user's notifications. */
import { systemClock, type Clock } from '../domain/clock';
import { listNotifications, setNotificationRead } from '../data/notifications';
import type { Caller } from '../domain/caller';

export const listMyNotifications = (caller: Caller, q: { cursor?: string | undefined; limit: number }) => listNotifications(caller.userId, q.cursor, q.limit);

export const markNotificationRead = (caller: Caller, id: string, clock: Clock = systemClock) => setNotificationRead(caller.userId, id, clock().toISOString());
