/**
 * Email preferences: the time zone emails show times in, and which optional emails to get.
 * Emails about money are always sent, so they are shown on and cannot be changed. A time zone
 * left at the API's default (UTC) is offered as the browser's.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type SubmitEvent } from 'react';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { initialZone, timeZones, viewerZone } from '../../lib/time';
import type { EmailKind, Preferences } from '../../lib/types';
import { ErrorMessage, QueryState } from '../../ui/states';
import { alwaysSentLabel, EMAIL_KINDS, emailKindLabel } from './emailKinds';

const PreferencesForm = ({ saved }: { saved: Preferences }) => {
  const api = useApi();
  const qc = useQueryClient();
  const [timeZone, setTimeZone] = useState(() => initialZone(saved.timeZone, viewerZone()));
  const [email, setEmail] = useState<Record<EmailKind, boolean>>(saved.email);
  const zones = useMemo(() => timeZones(), []);
  const save = useMutation({
    mutationFn: () => api.savePreferences({ timeZone, email }),
    onSuccess: (answer) => qc.setQueryData(keys.preferences, answer),
  });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const changed = () => save.reset();
  return (
    <form className="form" onSubmit={submit}>
      <label>
        Time zone
        <select
          value={timeZone}
          onChange={(e) => {
            setTimeZone(e.target.value);
            changed();
          }}
        >
          {(zones.includes(timeZone) ? zones : [timeZone, ...zones]).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">Times in your emails are shown in this time zone.</p>
      <fieldset>
        <legend>Emails you get</legend>
        {EMAIL_KINDS.map((k) => (
          <label key={k} className="inline">
            <input
              type="checkbox"
              checked={email[k]}
              onChange={(e) => {
                setEmail((prev) => ({ ...prev, [k]: e.target.checked }));
                changed();
              }}
            />
            {emailKindLabel(k)}
          </label>
        ))}
        {saved.alwaysSent.map((k) => (
          <label key={k} className="inline">
            <input type="checkbox" checked disabled aria-describedby="always-sent" />
            {alwaysSentLabel(k)}
          </label>
        ))}
        <p id="always-sent" className="muted small">
          Emails about money (approvals to pay, bookings, refunds) are always sent.
        </p>
      </fieldset>
      {save.isError ? <ErrorMessage error={save.error} /> : null}
      {save.isSuccess ? (
        <p role="status" className="note">
          Preferences saved.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save preferences'}
        </button>
      </div>
    </form>
  );
};

export const EmailPreferencesPage = () => {
  const api = useApi();
  const prefs = useQuery({ queryKey: keys.preferences, queryFn: () => api.preferences() });
  return (
    <main className="page">
      <h1>Email preferences</h1>
      <QueryState query={prefs} loadingLabel="Loading your preferences…">
        {(saved) => <PreferencesForm saved={saved} />}
      </QueryState>
    </main>
  );
};
