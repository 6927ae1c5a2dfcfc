/**
 * Remembered answers of a pure function of one key, emptied whenever `limit` keys are held:
 * the vocabularies it serves (lab codes, unit spellings, name readings) are small, and a source
 * sending endless distinct keys must not grow it without bound. Pass a function defined once,
 * not a new closure per call, on hot paths.
 */
export class BoundedMemo<K, V> {
  readonly #values = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K, compute: (key: K) => V): V {
    const known = this.#values.get(key);
    // `has` only on a miss, so values that are undefined are remembered too.
    if (known !== undefined || this.#values.has(key)) return known as V;
    if (this.#values.size >= this.#limit) this.#values.clear();
    const value = compute(key);
    this.#values.set(key, value);
    return value;
  }
}
