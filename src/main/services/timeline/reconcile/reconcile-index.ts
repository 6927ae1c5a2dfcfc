/**
 * Problems, allergies and drugs open for merging, by every key each one is known under (its
 * codes, its normalised name): a record joins the oldest entry that shares any key with it and
 * accepts it. These records are a few hundred in the largest chart, so a Map of short lists is
 * enough; results and encounters keep their own probe table (dedupe-index.ts).
 */
export interface ReconcileIndex {
  /** The oldest entry under any of `keys` that `accept`s; when none, files `index` under all of them and returns undefined. */
  findOrFile(keys: readonly string[], accept: (index: number) => boolean, index: number): number | undefined;
}

export function createReconcileIndex(): ReconcileIndex {
  const byKey = new Map<string, number[]>();
  return {
    findOrFile(keys, accept, index) {
      let found: number | undefined;
      for (const k of keys) {
        for (const i of byKey.get(k) ?? []) {
          if ((found === undefined || i < found) && accept(i)) {
            found = i;
            break;
          }
        }
      }
      if (found !== undefined) {
        // The merged entry is now also known by this record's other names (a second code, a name).
        for (const k of keys) {
          const list = byKey.get(k);
          if (!list) byKey.set(k, [found]);
          else if (!list.includes(found)) insertSorted(list, found);
        }
        return found;
      }
      for (const k of keys) {
        const list = byKey.get(k);
        if (list) list.push(index);
        else byKey.set(k, [index]);
      }
      return undefined;
    },
  };
}

/** Lists stay in entry order, so "the oldest" is the first that accepts. */
function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > value) i--;
  list.splice(i, 0, value);
}
