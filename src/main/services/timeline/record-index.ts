import { hashString, ProbeTable } from './probe-table.ts';

/**
 * Where each system's records ended up: (source, record id) → the index of its timeline entry.
 * Keyed by the adapters' own strings, hashed in place: a "source:id" key would be a new string
 * to build per record per rebuild, and a JavaScript Map per source cost most of a 100,000-record
 * rebuild (see ProbeTable). Hashed by the record id alone: two systems rarely share one, and
 * hashing the source too costs more.
 */
export class RecordIndex {
  readonly #table: ProbeTable;
  // Sized up front when the count is known: growing three arrays of 100,000+ slots copies each
  // of them a dozen times.
  readonly #sources: string[];
  readonly #ids: string[];
  readonly #entries: number[];
  #count = 0;
  /** Keeps this class's hidden classes alive between builds (see ProbeTable.keptShape). */
  private static readonly keptShape = new RecordIndex(1);

  constructor(expected?: number) {
    this.#table = new ProbeTable(expected);
    this.#sources = new Array<string>(expected ?? 0);
    this.#ids = new Array<string>(expected ?? 0);
    this.#entries = new Array<number>(expected ?? 0);
  }

  /**
   * Files a record not seen before and returns its slot (the entry index is set later with
   * `assign`); returns -1 when this source already delivered this id (e.g. a retried page).
   */
  claim(sourceId: string, recordId: string): number {
    const hash = hashString(recordId);
    if (this.#find(hash, sourceId, recordId) >= 0) return -1;
    return this.#file(hash, sourceId, recordId, -1);
  }

  assign(slot: number, entryIndex: number): void {
    this.#entries[slot] = entryIndex;
  }

  /** Files (or re-points) a second name of a record, e.g. its logical id beside an HL7 v2 path. */
  set(sourceId: string, recordId: string, entryIndex: number): void {
    const hash = hashString(recordId);
    const slot = this.#find(hash, sourceId, recordId);
    if (slot >= 0) this.#entries[slot] = entryIndex;
    else this.#file(hash, sourceId, recordId, entryIndex);
  }

  /** The entry a source's reference points at, if that source delivered the record. */
  resolve(sourceId: string, reference: string | undefined): number | undefined {
    if (!reference) return undefined;
    const slot = this.#find(hashString(reference), sourceId, reference);
    return slot >= 0 ? this.#entries[slot] : undefined;
  }

  /** The slot of (source, record id), or -1; compared here, not by a callback (see ProbeTable.first). */
  #find(hash: number, sourceId: string, recordId: string): number {
    const table = this.#table;
    for (let slot = table.first(hash); slot >= 0; slot = table.next())
      if (this.#ids[slot] === recordId && this.#sources[slot] === sourceId) return slot;
    return -1;
  }

  #file(hash: number, sourceId: string, recordId: string, entryIndex: number): number {
    const slot = this.#count++;
    this.#sources[slot] = sourceId;
    this.#ids[slot] = recordId;
    this.#entries[slot] = entryIndex;
    this.#table.insert(hash, slot);
    return slot;
  }
}
