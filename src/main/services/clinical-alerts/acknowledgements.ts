import { z } from 'zod';

export const AcknowledgementSchema = z
  .object({
    /** One system record of the critical result (`sourceId:nativeId`). */
    key: z.string().min(1).max(600),
    by: z.object({ id: z.string().min(1), displayName: z.string() }).strict(),
    at: z.string(),
  })
  .strict();
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

/** Where acknowledgements are kept across restarts (the encrypted cache, wired by the composition). */
export interface AcknowledgementPersistence {
  load(): Promise<Acknowledgement[]>;
  save(acknowledgement: Acknowledgement): Promise<void>;
}

/** Read synchronously (the worklist counts many patients); written through to the persistence first. */
export interface AcknowledgementStore {
  /** The earliest acknowledgement of any of these system records. */
  find(keys: readonly string[]): Acknowledgement | undefined;
  /** Records who acknowledged, under every key of the result; resolves once it is kept. */
  acknowledge(keys: readonly string[], by: Acknowledgement['by'], at: string): Promise<Acknowledgement>;
}

/** Without persistence, acknowledgements last for this run only (tests, the CLI). */
export async function openAcknowledgementStore(persistence?: AcknowledgementPersistence): Promise<AcknowledgementStore> {
  const byKey = new Map<string, Acknowledgement>();
  const keep = (a: Acknowledgement) => {
    const known = byKey.get(a.key);
    if (!known || a.at < known.at) byKey.set(a.key, a);
  };
  for (const a of (await persistence?.load()) ?? []) keep(a);
  const find = (keys: readonly string[]) => {
    let first: Acknowledgement | undefined;
    for (const k of keys) {
      const a = byKey.get(k);
      if (a && (!first || a.at < first.at)) first = a;
    }
    return first;
  };
  return {
    find,
    async acknowledge(keys, by, at) {
      // A second acknowledgement does not rewrite who first took responsibility.
      const earlier = find(keys);
      if (earlier) return earlier;
      const records = keys.map((key) => ({ key, by, at }));
      for (const r of records) await persistence?.save(r);
      for (const r of records) keep(r);
      return records[0]!;
    },
  };
}
