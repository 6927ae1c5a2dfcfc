import { hashString, ProbeTable } from './probe-table.ts';

/**
 * Where each system's records ended up: (source, record id) → the index of its timeline entry.
 * Keyed by the adapters' own strings, hashed in place: a "source:id" key would be a new string
 * to build per record per rebuild, and a JavaScript Map per source cost most of a 100,000-record
 * rebuild (see ProbeTable).
 */
export class RecordIndex {
  readonly #table: ProbeTable;
  // Sized up front when the count is known: growing three arrays of 100,000+ slots copies each
  // of them a dozen times.
  readonly #sources: string[];
  readonly #ids: string[];
  readonly #entries: number[];
  #count = 0;
  #sourceId = '';
  #recordId = '';
  readonly #matches = (slot: number) => this.#ids[slot] === this.#recordId && this.#sources[slot] === this.#sourceId;

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
    const hash = this.#keyHash(sourceId, recordId);
    if (this.#table.find(hash, this.#matches) >= 0) return -1;
    return this.#file(hash, sourceId, recordId, -1);
  }

  assign(slot: number, entryIndex: number): void {
    this.#entries[slot] = entryIndex;
  }

  /** Files (or re-points) a second name of a record, e.g. its logical id beside an HL7 v2 path. */
  set(sourceId: string, recordId: string, entryIndex: number): void {
    const hash = this.#keyHash(sourceId, recordId);
    const slot = this.#table.find(hash, this.#matches);
    if (slot >= 0) this.#entries[slot] = entryIndex;
    else this.#file(hash, sourceId, recordId, entryIndex);
  }

  /** The entry a source's reference points at, if that source delivered the record. */
  resolve(sourceId: string, reference: string | undefined): number | undefined {
    if (!reference) return undefined;
    const slot = this.#table.find(this.#keyHash(sourceId, reference), this.#matches);
    return slot >= 0 ? this.#entries[slot] : undefined;
  }

  /** Sets the key the match function compares with and returns its hash. */
  #keyHash(sourceId: string, recordId: string): number {
    this.#sourceId = sourceId;
    this.#recordId = recordId;
    // The record id alone: two systems rarely share one, and hashing the source too costs more.
    return hashString(recordId);
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
