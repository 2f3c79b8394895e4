/** The OpenID provider's state (sessions, grants, codes, tokens) in memory: a restart signs everybody out. */
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** The provider's state in memory, with each entry's expiry; tokens of a grant go with the grant. */
export const memoryAdapter = () => {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const uids = new Map<string, string>();
  const grants = new Map<string, Set<string>>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry?.payload;
  };
  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.uid && model === 'Session') uids.set(payload.uid, id);
        if (payload.grantId) grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(key(id)));
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => {
        const id = uids.get(uid);
        return id ? live(key(id)) : undefined;
      },
      findByUserCode: async () => undefined,
      consume: async (id) => {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        const payload = live(key(id));
        store.delete(key(id));
        if (payload?.uid && uids.get(payload.uid) === id) uids.delete(payload.uid);
      },
      revokeByGrantId: async (grantId) => {
        for (const k of grants.get(grantId) ?? []) store.delete(k);
        grants.delete(grantId);
      },
    };
  };
};
