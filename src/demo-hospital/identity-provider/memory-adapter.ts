/**
 * oidc-provider's storage for the demo IdP: one in-memory map per model, with expiry. The demo
 * forgets its sessions at every start by design; saying so through our own adapter keeps the
 * library's "development-only adapter" warning off a clinician's terminal.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Stored {
  payload: AdapterPayload;
  expiresAt?: number;
}

export function memoryAdapterFactory(clock: () => number = Date.now): (name: string) => Adapter {
  const models = new Map<string, Map<string, Stored>>();
  return (name) => {
    let store = models.get(name);
    if (!store) models.set(name, (store = new Map()));
    const items = store;
    const live = (id: string): AdapterPayload | undefined => {
      const item = items.get(id);
      if (!item) return undefined;
      if (item.expiresAt !== undefined && item.expiresAt <= clock()) {
        items.delete(id);
        return undefined;
      }
      return item.payload;
    };
    const findBy = (match: (p: AdapterPayload) => boolean): AdapterPayload | undefined => {
      for (const id of items.keys()) {
        const payload = live(id);
        if (payload && match(payload)) return payload;
      }
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        items.set(id, { payload, ...(expiresIn ? { expiresAt: clock() + expiresIn * 1000 } : {}) });
      },
      async find(id) {
        return live(id);
      },
      async findByUserCode(userCode) {
        return findBy((p) => p.userCode === userCode);
      },
      async findByUid(uid) {
        return findBy((p) => p.uid === uid);
      },
      async consume(id) {
        const payload = live(id);
        if (payload) payload.consumed = Math.floor(clock() / 1000);
      },
      async destroy(id) {
        items.delete(id);
      },
      async revokeByGrantId(grantId) {
        for (const [id, item] of items) if (item.payload.grantId === grantId) items.delete(id);
      },
    };
  };
}
