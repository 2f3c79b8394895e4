import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi, useRuntimeConfig } from '../../app/context';
import { invalidateSession } from '../../app/invalidate';
import { keys } from '../../app/keys';
import { useAuth } from '../../lib/auth';
import { connectNotifications, type SocketStatus } from '../../lib/socket';
import type { Notification, Page } from '../../lib/types';
import { useMe } from '../me/useMe';

export const useNotifications = () => {
  const api = useApi();
  const { identity } = useAuth();
  return useInfiniteQuery({
    queryKey: keys.notifications,
    queryFn: ({ pageParam }) => api.notifications(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: identity !== null,
  });
};

/** The bell's count: GET /me's, else the unread ones of the newest page. */
export const useUnreadCount = (): number => {
  const me = useMe();
  const list = useNotifications();
  if (typeof me.data?.unreadNotifications === 'number') return me.data.unreadNotifications;
  return list.data?.pages[0]?.items.filter((n) => !n.readAt).length ?? 0;
};

type Pages = InfiniteData<Page<Notification>, string | undefined>;

export const useMarkRead = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.markRead(id),
    onMutate: (id) => {
      const readAt = new Date().toISOString();
      qc.setQueryData<Pages>(keys.notifications, (data) =>
        data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((n) => (n.id === id ? { ...n, readAt: n.readAt ?? readAt } : n)) })) } : data,
      );
    },
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.notifications }), qc.invalidateQueries({ queryKey: keys.me })]),
  });
};

/**
 * The live feed, for the whole signed-in app: each pushed notification goes to the top of the
 * inbox, moves the bell, and refreshes what its session touches (so a tab updates without a
 * reload). After a reconnect everything is refetched: pushes may have been missed meanwhile.
 * A renewed sign-in reconnects with the fresh token.
 */
export const useNotificationFeed = (): { status: SocketStatus; latest: Notification | null } => {
  const { wsUrl } = useRuntimeConfig();
  const { user, idToken, renew } = useAuth();
  const qc = useQueryClient();
  const [status, setStatus] = useState<SocketStatus>('closed');
  const [latest, setLatest] = useState<Notification | null>(null);
  const socket = useRef<ReturnType<typeof connectNotifications> | null>(null);
  const tokenRef = useRef(idToken);
  tokenRef.current = idToken;
  const renewRef = useRef(renew);
  renewRef.current = renew;
  const signedInAs = user?.profile.sub ?? null;

  useEffect(() => {
    if (!signedInAs) return;
    const s = connectNotifications({
      url: wsUrl,
      token: () => tokenRef.current(),
      onStatus: setStatus,
      onNotification: (n) => {
        setLatest(n);
        qc.setQueryData<Pages>(keys.notifications, (data) => {
          if (!data?.pages[0] || data.pages.some((p) => p.items.some((i) => i.id === n.id))) return data;
          const [first, ...rest] = data.pages;
          return { ...data, pages: [{ ...first, items: [{ ...n, readAt: null }, ...first.items] }, ...rest] };
        });
        void qc.invalidateQueries({ queryKey: keys.me });
        if (n.sessionId) void invalidateSession(qc, n.sessionId);
        // Approved as a tutor: the new role reaches the token (and the API) with a renewed sign-in.
        const event: string = n.event;
        if (event === 'TUTOR_APPLICATION_APPROVED') void renewRef.current();
      },
      onReconnect: () => void qc.invalidateQueries(),
    });
    socket.current = s;
    return () => {
      s.stop();
      socket.current = null;
    };
  }, [signedInAs, wsUrl, qc]);

  // A renewed ID token: the connection was authorized with the old one.
  const idTokenValue = user?.id_token;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (idTokenValue) socket.current?.reconnect();
  }, [idTokenValue]);

  return { status, latest };
};
