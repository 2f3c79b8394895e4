import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi, useRuntimeConfig } from '../../app/context';
import { invalidateSession, invalidateWithdrawals } from '../../app/invalidate';
import { keys } from '../../app/keys';
import { useAuth } from '../../lib/auth';
import type { PushedNotification } from '@mentorship/client';
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

/** The bell's count: GET /me's (refetched on every push and every mark read). */
export const useUnreadCount = (): number => useMe().data?.unreadNotifications ?? 0;

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
export const useNotificationFeed = (): { status: SocketStatus; latest: PushedNotification | null } => {
  const { wsUrl } = useRuntimeConfig();
  const { user, idToken, renew } = useAuth();
  const qc = useQueryClient();
  const [status, setStatus] = useState<SocketStatus>('closed');
  const [latest, setLatest] = useState<PushedNotification | null>(null);
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
        // A push is the inbox item without its owner and read state: it is the signed-in user's, unread.
        const item: Notification = { ...n, userId: signedInAs, readAt: null };
        qc.setQueryData<Pages>(keys.notifications, (data) => {
          if (!data?.pages[0] || data.pages.some((p) => p.items.some((i) => i.id === n.id))) return data;
          const [first, ...rest] = data.pages;
          return { ...data, pages: [{ ...first, items: [item, ...first.items] }, ...rest] };
        });
        switch (n.event) {
          case 'TUTOR_APPLICATION_APPROVED':
            // The new role reaches the token (and so the API and GET /me) with a renewed sign-in.
            void renewRef.current().finally(() => qc.invalidateQueries({ queryKey: keys.me }));
            break;
          case 'TUTOR_APPLICATION_DECLINED':
            void qc.invalidateQueries({ queryKey: keys.me });
            break;
          case 'WITHDRAWAL_SUCCEEDED':
          case 'WITHDRAWAL_FAILED':
          case 'PAYOUT_ACCOUNT_CHANGED':
            // The wallet's balances, the withdrawals and the payout account (another tab may have changed it).
            void qc.invalidateQueries({ queryKey: keys.me });
            void invalidateWithdrawals(qc);
            break;
          default:
            void qc.invalidateQueries({ queryKey: keys.me });
            if (n.sessionId) void invalidateSession(qc, n.sessionId);
        }
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
