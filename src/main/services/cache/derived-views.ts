import { createHash, hkdfSync } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { z } from 'zod';
import { blindRef, encodeAad, KEY_BYTES, wipe } from '../keys/index.ts';
import { CacheError, toCacheError } from './cache-error.ts';
import { aad, openJson, sealJson } from './record-codec.ts';

/**
 * Derived views: a value computed from several cached patients (e.g. the first screen of a
 * merged timeline), kept so the next open can show it before the records are decrypted.
 *
 * A view is sealed under a key derived from every member's data key, so crypto-shredding any
 * one member makes it unreadable; its row also goes with any member's purge (a trigger). It is
 * stamped with each member's revision and ignored as soon as one of them changed.
 */

/** One patient a view is derived from, at the revision the caller derived it from (undefined: not cached). */
export interface ViewMember {
  patientKey: string;
  revision: string | undefined;
}

export interface ViewDeps {
  db: DatabaseSync;
  blindKey: () => Uint8Array;
  patientRefOf: (patientKey: string) => string;
  /** The member's data key; undefined when the patient is not cached. */
  dataKeyOf: (patientRef: string) => Buffer | undefined;
  transaction: <T>(doing: string, body: () => T) => T;
  nowMs: () => number;
}

export interface DerivedViews {
  put(name: string, members: readonly ViewMember[], value: unknown): boolean;
  get<T>(name: string, patientKeys: readonly string[], schema: z.ZodType<T>): T | undefined;
}

interface Resolved {
  patientRef: string;
  revision: string | undefined;
}

/** `<key id>:<counter>`: a purged and re-created patient never repeats an earlier revision. */
export function revisionOf(db: DatabaseSync, patientRef: string): string | undefined {
  const row = db.prepare('SELECT key_id, revision FROM patients WHERE patient_ref = ?').get(patientRef);
  return row ? `${String(row.key_id)}:${String(row.revision)}` : undefined;
}

function stampOf(members: readonly Resolved[]): string {
  const fields = members.flatMap((m) => [m.patientRef, m.revision ?? '-']);
  return createHash('sha256').update(encodeAad('huizhen-cache/view-stamp', fields)).digest('hex');
}

export function createDerivedViews(deps: ViewDeps): DerivedViews {
  const { db } = deps;

  /** Members in one canonical order, so a view does not depend on the order refs were listed in. */
  function resolve(patientKeys: readonly string[]): string[] {
    const refs = [...new Set(patientKeys.map((k) => deps.patientRefOf(k)))].sort();
    if (refs.length !== patientKeys.length) throw new CacheError('invalid-input', 'A view lists the same patient twice.');
    if (refs.length === 0) throw new CacheError('invalid-input', 'A view needs at least one member patient.');
    return refs;
  }

  const viewRefOf = (name: string, refs: readonly string[]) => blindRef(deps.blindKey(), 'view', name, ...refs);

  /** HKDF over the cached members' data keys, salted with the view's own reference. */
  function viewKey(viewRef: string, members: readonly Resolved[]): Buffer {
    const keys: Buffer[] = [];
    for (const m of members) {
      if (m.revision === undefined) continue;
      const key = deps.dataKeyOf(m.patientRef);
      if (!key) throw new CacheError('corrupt', 'A cached patient has no data key.');
      keys.push(key);
    }
    const material = Buffer.concat(keys);
    try {
      return Buffer.from(hkdfSync('sha256', material, Buffer.from(viewRef, 'hex'), 'huizhen-cache/view-key/v1', KEY_BYTES));
    } finally {
      wipe(material);
    }
  }

  function drop(viewRef: string): void {
    try {
      deps.transaction('dropping a derived view', () => db.prepare('DELETE FROM views WHERE view_ref = ?').run(viewRef));
    } catch {
      // Best effort (e.g. a full disk): a stale view is ignored on every read until replaced.
    }
  }

  return {
    put(name, members, value) {
      const refs = resolve(members.map((m) => m.patientKey));
      const revisionByRef = new Map(members.map((m) => [deps.patientRefOf(m.patientKey), m.revision]));
      const resolved = refs.map((patientRef) => ({ patientRef, revision: revisionByRef.get(patientRef) }));
      const viewRef = viewRefOf(name, refs);
      return deps.transaction('storing a derived view', () => {
        // Derived from data the cache no longer holds: storing it would only be ignored later.
        if (resolved.some((m) => revisionOf(db, m.patientRef) !== m.revision)) return false;
        if (resolved.every((m) => m.revision === undefined)) return false;
        const stamp = stampOf(resolved);
        const key = viewKey(viewRef, resolved);
        try {
          const sealed = sealJson(key, value, aad.view(viewRef, stamp));
          // Delete first: the members' cascade would otherwise take a REPLACEd row with it.
          db.prepare('DELETE FROM views WHERE view_ref = ?').run(viewRef);
          db.prepare('INSERT INTO views (view_ref, stamp, sealed, written_at) VALUES (?, ?, ?, ?)').run(
            viewRef,
            stamp,
            sealed,
            deps.nowMs(),
          );
          const member = db.prepare('INSERT INTO view_members (view_ref, patient_ref) VALUES (?, ?)');
          for (const m of resolved) if (m.revision !== undefined) member.run(viewRef, m.patientRef);
        } finally {
          wipe(key);
        }
        return true;
      });
    },

    get(name, patientKeys, schema) {
      const refs = resolve(patientKeys);
      const viewRef = viewRefOf(name, refs);
      let row: Record<string, unknown> | undefined;
      let resolved: Resolved[];
      try {
        row = db.prepare('SELECT stamp, sealed FROM views WHERE view_ref = ?').get(viewRef);
        if (!row) return undefined;
        resolved = refs.map((patientRef) => ({ patientRef, revision: revisionOf(db, patientRef) }));
      } catch (error) {
        throw toCacheError(error, 'reading a derived view');
      }
      const stamp = stampOf(resolved);
      if (String(row.stamp) !== stamp) {
        drop(viewRef);
        return undefined;
      }
      const key = viewKey(viewRef, resolved);
      try {
        return openJson(key, row.sealed as Uint8Array, aad.view(viewRef, stamp), schema, 'A cached derived view');
      } catch (error) {
        // Derived data is rebuilt on the next complete open: nothing to keep for inspection.
        drop(viewRef);
        throw error instanceof CacheError ? error : toCacheError(error, 'reading a derived view');
      } finally {
        wipe(key);
      }
    },
  };
}
