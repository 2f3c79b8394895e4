import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../app/context';
import { invalidateWithdrawals } from '../../app/invalidate';
import { keys } from '../../app/keys';
import { ApiError } from '../../lib/errors';
import { inFlight } from '../../lib/payout';
import type { BankCurrency, PayoutAccountInput } from '../../lib/types';

/** While a withdrawal is in flight its status moves without a push (pending → processing): the lists are looked at again this often. */
const IN_FLIGHT_REFRESH_MS = 5_000;

export const useWallet = () => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.wallet,
    queryFn: ({ pageParam }) => api.wallet(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
};

export const useBanks = (currency: BankCurrency) => {
  const api = useApi();
  // The banks change rarely: once a page view is enough.
  return useQuery({ queryKey: keys.banks(currency), queryFn: () => api.banks(currency), staleTime: 60 * 60_000 });
};

/** The payout account, or null when the tutor has none yet (the API's 404 PAYOUT_ACCOUNT_NOT_FOUND is an answer, not a failure). */
export const usePayoutAccount = () => {
  const api = useApi();
  return useQuery({
    queryKey: keys.payoutAccount,
    queryFn: async () => {
      try {
        return await api.payoutAccount();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'PAYOUT_ACCOUNT_NOT_FOUND') return null;
        throw e;
      }
    },
  });
};

export const useSavePayoutAccount = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PayoutAccountInput) => api.savePayoutAccount(body),
    onSuccess: (account) => qc.setQueryData(keys.payoutAccount, account),
  });
};

export const useWithdrawals = () => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.withdrawals,
    queryFn: ({ pageParam }) => api.withdrawals(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.items.some((w) => inFlight(w.status))) ? IN_FLIGHT_REFRESH_MS : false),
  });
};

export const useWithdraw = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (amount: number) => api.withdraw(amount),
    onSettled: () => invalidateWithdrawals(qc),
  });
};
