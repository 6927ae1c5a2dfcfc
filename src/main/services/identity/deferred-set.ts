/**
 * A Set<number> whose members are held in a plain array until someone first reads it. Bulk
 * linking records hundreds of thousands of "doubtful" pair codes that only an interactive search
 * (a few dozen records) ever consults; hashing them all up front was a tenth of the linking time.
 */
export class DeferredNumberSet extends Set<number> {
  #pending: number[] | undefined;

  constructor(members: number[]) {
    super();
    this.#pending = members;
  }

  static {
    // ES2025's set algebra (union, isSubsetOf, …) reads the receiver's own slots, not its
    // methods: each is wrapped to fill the set first.
    const algebra = ['union', 'intersection', 'difference', 'symmetricDifference', 'isSubsetOf', 'isSupersetOf', 'isDisjointFrom'];
    for (const name of algebra) {
      const base: unknown = Reflect.get(Set.prototype, name);
      if (typeof base !== 'function') continue;
      Object.defineProperty(DeferredNumberSet.prototype, name, {
        configurable: true,
        writable: true,
        value(this: DeferredNumberSet, ...args: unknown[]): unknown {
          this.#materialise();
          return Reflect.apply(base, this, args);
        },
      });
    }
  }

  #materialise(): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    for (const m of pending) super.add(m);
  }

  override get size(): number {
    this.#materialise();
    return super.size;
  }

  override has(value: number): boolean {
    this.#materialise();
    return super.has(value);
  }

  override add(value: number): this {
    this.#materialise();
    return super.add(value);
  }

  override delete(value: number): boolean {
    this.#materialise();
    return super.delete(value);
  }

  override clear(): void {
    this.#pending = undefined;
    super.clear();
  }

  override forEach(callback: (value: number, key: number, set: Set<number>) => void, thisArg?: unknown): void {
    this.#materialise();
    super.forEach(callback, thisArg);
  }

  override values(): SetIterator<number> {
    this.#materialise();
    return super.values();
  }

  override keys(): SetIterator<number> {
    this.#materialise();
    return super.keys();
  }

  override entries(): SetIterator<[number, number]> {
    this.#materialise();
    return super.entries();
  }

  override [Symbol.iterator](): SetIterator<number> {
    this.#materialise();
    return super[Symbol.iterator]();
  }
}
