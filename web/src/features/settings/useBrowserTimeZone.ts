/**
 * On signing in: while the user's email time zone was never saved, the browser's is saved
 * (emails then show times as the user's own clock does). Once per signed-in user and page
 * load; a zone the user chose is never touched (lib/time.ts zoneToSave).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { useAuth } from '../../lib/auth';
import { viewerZone, zoneToSave } from '../../lib/time';

export const useBrowserTimeZone = (): void => {
  const api = useApi();
  const qc = useQueryClient();
  const { identity } = useAuth();
  const done = useRef<string | null>(null);
  const userId = identity?.id ?? null;
  useEffect(() => {
    if (!userId || done.current === userId) return;
    done.current = userId;
    void (async () => {
      try {
        const saved = await api.preferences();
        const zone = zoneToSave(saved, viewerZone());
        if (zone) qc.setQueryData(keys.preferences, await api.savePreferences({ timeZone: zone, email: saved.email }));
      } catch {
        // Not worth an error on every page: the preferences page offers the browser's zone too.
      }
    })();
  }, [api, qc, userId]);
};
