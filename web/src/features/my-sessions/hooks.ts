import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/context';
import { invalidateSession } from '../../app/invalidate';
import { keys } from '../../app/keys';
import type { StudentView } from '../../lib/types';

export const useMySessions = (view: StudentView) => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.mySessions(view),
    queryFn: ({ pageParam }) => api.mySessions(view, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
};

/** "Proceed to payment": the checkout of an approved request (the same open one if asked again). */
export const useProceedToPayment = () => {
  const api = useApi();
  return useMutation({
    mutationFn: (sessionId: string) => api.pay(sessionId),
    onSuccess: (payment) => window.location.assign(payment.authorizationUrl),
  });
};

export const useReview = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ sessionId, rating, comment }: { sessionId: string; rating: number; comment: string }) =>
      api.review(sessionId, { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
    onSuccess: (_r, v) => Promise.all([invalidateSession(qc, v.sessionId), qc.invalidateQueries({ queryKey: ['tutor'] })]),
  });
};
