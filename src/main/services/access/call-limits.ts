import type { CallAllowance, CallKind, CallLimitsConfig } from '../../../shared/config/call-limits.ts';
import type { User } from '../../../shared/domain/user.ts';
import { auditUserOf, type AuditRecorder } from './audit-port.ts';
import { CallLimitedError, type ApiHandlers } from '../api/index.ts';
import { InFlight, requestKey } from './calls-in-flight.ts';
import { TokenBucket } from './call-token-bucket.ts';

export interface CallLimitsOptions {
  limits: CallLimitsConfig;
  /** The signed-in, active user; undefined lets the call through to its handler, which refuses it before any fan-out. */
  caller(): User | undefined;
  audit: AuditRecorder;
  clock?: () => number;
  log?: (line: string) => void;
}

/** A refused run of calls is audited when it starts, and again this often while it lasts. */
const BURST_REAUDIT_MS = 10 * 60_000;

/**
 * Refusals of one user's calls of one kind, from the first until none was refused for twice the
 * time the bucket takes to refill (at least a minute): a script pacing itself at the refill rate
 * stays one burst.
 */
interface Burst {
  since: number;
  auditedAt: number;
  lastRefusedAt: number;
  refused: number;
}

const quietAfterMs = ({ burst, perMinute }: CallAllowance): number => Math.max(60_000, (2 * burst * 60_000) / perMinute);

/** One user's standing for one kind of call. */
interface Allowance {
  bucket: TokenBucket;
  burst?: Burst;
}

/**
 * The API with every call that reaches the hospital's systems limited per signed-in user, before
 * its handler runs: identical calls while one is under way join it (one fan-out), and the rest
 * take a token of the user's bucket for that kind or are refused with the wait. Per user, not
 * per sign-in: signing in again (or a second tab) shares the same buckets. What is served from
 * the cache or main's memory alone (the worklist's first paint, a timeline export) is never limited.
 */
export function limitCalls(handlers: ApiHandlers, options: CallLimitsOptions): ApiHandlers {
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const inFlight = new InFlight();
  const allowances = new Map<string, Allowance>();

  function allowanceOf(user: User, kind: CallKind): Allowance {
    const key = `${user.id}\u0000${kind}`;
    let allowance = allowances.get(key);
    if (!allowance) {
      allowance = { bucket: new TokenBucket(options.limits[kind], clock) };
      allowances.set(key, allowance);
    }
    return allowance;
  }

  function auditBurst(user: User, kind: CallKind, method: string, burst: Burst): void {
    const limit: CallAllowance = options.limits[kind];
    const ongoing = burst.refused > 1 ? `; ${burst.refused} refused since ${new Date(burst.since).toISOString()}` : '';
    options
      .audit({
        action: 'access-denied',
        outcome: 'denied',
        user: auditUserOf(user),
        entity: {
          type: 'call-limit',
          id: kind,
          detail: `${kind}: ${method} over ${limit.burst} at once / ${limit.perMinute} a minute${ongoing}`,
        },
      })
      // The call is refused either way; a lost record of the refusal is worth a log line, not an answer.
      .catch((error: unknown) => log(`call limits: a refusal could not be audited: ${String(error)}`));
  }

  function admit(user: User, kind: CallKind, method: string): void {
    const allowance = allowanceOf(user, kind);
    const take = allowance.bucket.take();
    if (take.ok) return;
    const now = clock();
    const burst = allowance.burst;
    if (burst && now - burst.lastRefusedAt < quietAfterMs(options.limits[kind])) {
      burst.refused += 1;
      burst.lastRefusedAt = now;
      if (now - burst.auditedAt >= BURST_REAUDIT_MS) {
        burst.auditedAt = now;
        auditBurst(user, kind, method, burst);
      }
    } else {
      if (burst) log(`call limits: ${user.id} ${kind}: the last burst had ${burst.refused} refused calls`);
      allowance.burst = { since: now, auditedAt: now, lastRefusedAt: now, refused: 1 };
      auditBurst(user, kind, method, allowance.burst);
    }
    const limit = options.limits[kind];
    throw new CallLimitedError(
      `too many ${kind} calls (${limit.burst} at once, ${limit.perMinute} a minute); wait and try again`,
      take.retryAfterMs / 1000,
    );
  }

  function limit<Request, Response>(
    method: string,
    kindOf: (request: Request) => CallKind | undefined,
    handler: (request: Request) => Promise<Response>,
  ): (request: Request) => Promise<Response> {
    return async (request) => {
      const user = options.caller();
      const kind = kindOf(request);
      if (!user || !kind) return handler(request);
      // Who asks includes what the access rules read of them: a sign-in with other wards or roles never joins an earlier one's call.
      const { id, roles, wards, practitionerId } = user;
      const key = requestKey({ asker: { id, roles, wards, practitionerId }, method, request });
      const joined = inFlight.joined<Response>(key);
      if (joined) return joined;
      admit(user, kind, method);
      return inFlight.run(key, () => handler(request));
    };
  }

  return {
    ...handlers,
    searchPatients: limit('searchPatients', () => 'search', handlers.searchPatients),
    openPatient: limit('openPatient', () => 'open', handlers.openPatient),
    listWorklist: limit('listWorklist', ({ from }) => (from === 'systems' ? 'worklist' : undefined), handlers.listWorklist),
    checkSources: limit('checkSources', () => 'source-check', handlers.checkSources),
    exportDeidentified: limit(
      'exportDeidentified',
      ({ kind }) => (kind === 'study' ? 'study-export' : undefined),
      handlers.exportDeidentified,
    ),
  };
}
