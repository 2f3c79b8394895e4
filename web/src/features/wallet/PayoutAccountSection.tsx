/**
 * Where withdrawals are paid: the bank account, its name as the bank resolved it (shown back
 * for the tutor to confirm it is theirs), and the form to add or change it.
 */
import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { formatDateTime, viewerZone } from '../../lib/time';
import { accountNumberFrom } from '../../lib/payout';
import type { PayoutAccount } from '../../lib/types';
import { Empty, ErrorMessage, Loading } from '../../ui/states';
import { useBanks, usePayoutAccount, useSavePayoutAccount } from './hooks';

/** Payouts are to Nigerian bank accounts (NUBAN), in naira. */
export const PAYOUT_CURRENCY = 'NGN' as const;

export const maskedAccount = (a: { bankName: string; accountNumberLast4: string }) => `${a.bankName} ••••${a.accountNumberLast4}`;

const AccountFacts = ({ account }: { account: PayoutAccount }) => (
  <dl className="facts">
    <div>
      <dt>Account name</dt>
      <dd>{account.accountName}</dd>
    </div>
    <div>
      <dt>Bank</dt>
      <dd>{account.bankName}</dd>
    </div>
    <div>
      <dt>Account number</dt>
      <dd>
        <span aria-hidden="true">••••</span>
        <span className="sr-only">ending in </span>
        {account.accountNumberLast4}
      </dd>
    </div>
    <div>
      <dt>Updated</dt>
      <dd>{formatDateTime(account.updatedAt, { zone: viewerZone() })}</dd>
    </div>
  </dl>
);

const AccountForm = ({ current, onSaved, onCancel }: { current: PayoutAccount | null; onSaved: (a: PayoutAccount) => void; onCancel?: () => void }) => {
  const banks = useBanks(PAYOUT_CURRENCY);
  const save = useSavePayoutAccount();
  const [bankCode, setBankCode] = useState(current?.bankCode ?? '');
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<{ bank?: string; number?: string }>({});
  const id = useId();
  const list = banks.data?.items ?? [];
  const bankSelect = useRef<HTMLSelectElement>(null);
  // Opened by "Change payout account" (which it replaces): the keyboard goes on in the form.
  const focusOnOpen = useRef(current !== null);
  useEffect(() => {
    if (focusOnOpen.current) bankSelect.current?.focus();
  }, []);

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const accountNumber = accountNumberFrom(typed);
    const next = {
      ...(bankCode ? {} : { bank: 'Choose your bank.' }),
      ...(accountNumber ? {} : { number: 'Enter the 10-digit account number.' }),
    };
    setProblem(next);
    if (!accountNumber || !bankCode) return;
    save.mutate({ bankCode, accountNumber }, { onSuccess: onSaved });
  };

  return (
    <form onSubmit={submit} className="form" noValidate aria-label={current ? 'Change payout account' : 'Add a payout account'}>
      {banks.isError ? <ErrorMessage error={banks.error} onRetry={() => void banks.refetch()} /> : null}
      {banks.isPending ? <Loading label="Loading banks…" /> : null}
      {banks.isSuccess && list.length === 0 ? <Empty>No banks are available for payouts right now. Please try again later.</Empty> : null}
      <label>
        Bank
        <select
          ref={bankSelect}
          value={bankCode}
          onChange={(e) => setBankCode(e.target.value)}
          disabled={!banks.isSuccess || list.length === 0}
          required
          aria-invalid={Boolean(problem.bank)}
          aria-describedby={problem.bank ? `${id}-bank` : undefined}
        >
          <option value="">{banks.isPending ? 'Loading banks…' : 'Choose your bank'}</option>
          {list.map((b) => (
            <option key={b.code} value={b.code}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
      {problem.bank ? (
        <p id={`${id}-bank`} className="error" role="alert">
          {problem.bank}
        </p>
      ) : null}
      <label>
        Account number
        <input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          inputMode="numeric"
          autoComplete="off"
          maxLength={14}
          required
          aria-invalid={Boolean(problem.number)}
          aria-describedby={`${id}-number`}
        />
      </label>
      <p id={`${id}-number`} className={problem.number ? 'error' : 'muted small'} role={problem.number ? 'alert' : undefined}>
        {problem.number ?? 'Your 10-digit account number (NUBAN). We check the name on the account with your bank.'}
      </p>
      {save.isError ? <ErrorMessage error={save.error} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || !banks.isSuccess || list.length === 0}>
          {save.isPending ? 'Checking with your bank…' : 'Save payout account'}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
};

export const PayoutAccountSection = () => {
  const account = usePayoutAccount();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<PayoutAccount | null>(null);
  const changeButton = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  const close = () => {
    closed.current = true;
    setEditing(false);
  };
  const onSaved = (a: PayoutAccount) => {
    setSaved(a);
    close();
  };
  // The form gone, the keyboard is back on the button that opened it.
  useEffect(() => {
    if (!editing && closed.current) {
      closed.current = false;
      changeButton.current?.focus();
    }
  }, [editing]);
  return (
    <section aria-labelledby="payout-account" className="card wallet-part">
      <h2 id="payout-account">Payout account</h2>
      {account.isPending ? <Loading label="Loading your payout account…" /> : null}
      {account.isError ? <ErrorMessage error={account.error} onRetry={() => void account.refetch()} /> : null}
      {account.isSuccess && account.data === null ? (
        <>
          <Empty>No payout account yet: add the bank account your withdrawals are paid into.</Empty>
          <AccountForm current={null} onSaved={onSaved} />
        </>
      ) : null}
      {account.isSuccess && account.data ? (
        <>
          {saved ? (
            <p role="status" className="note">
              Saved. The bank says this account is in the name of <strong>{saved.accountName}</strong>. If that is not you, change it before withdrawing.
            </p>
          ) : null}
          <AccountFacts account={account.data} />
          {editing ? (
            <AccountForm current={account.data} onSaved={onSaved} onCancel={close} />
          ) : (
            <div className="actions">
              <button
                ref={changeButton}
                type="button"
                onClick={() => {
                  setSaved(null);
                  setEditing(true);
                }}
              >
                Change payout account
              </button>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
};
