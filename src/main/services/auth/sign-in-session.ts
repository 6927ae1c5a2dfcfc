import type { SignInRefusal } from '../../../shared/api/client.ts';
import { OidcFailureReasonSchema, type Capability, type OidcFailureReason, type SessionView } from '../../../shared/api/session.ts';
import type { User } from '../../../shared/domain/user.ts';
import { AuthError } from './auth-error.ts';

/** Why a call was refused by the session layer; hosts map it to 401 with the code. */
export class SessionRequiredError extends Error {
  readonly code: 'signed-out' | 'locked';
  constructor(code: 'signed-out' | 'locked') {
    super(code === 'locked' ? 'the session is locked: unlock it to continue' : 'not signed in: sign in to continue');
    this.name = 'SessionRequiredError';
    this.code = code;
  }
}

/** A sign-in that failed for a reason the user should read; the renderer words the refusal. */
export class SignInRefusedError extends Error {
  readonly refusal: SignInRefusal;
  constructor(refusal: SignInRefusal, message: string) {
    super(message);
    this.name = 'SignInRefusedError';
    this.refusal = refusal;
  }
}

/** What a failed sign-in with the identity provider tells the user; the message stays in the audit log. */
function oidcFailureReasonOf(error: unknown): OidcFailureReason {
  if (!(error instanceof AuthError)) return 'other';
  const reason = OidcFailureReasonSchema.safeParse(error.code);
  return reason.success ? reason.data : 'other';
}

/** The refusal a local password check's failure stands for. */
function refusalOf(error: unknown): SignInRefusal {
  if (!(error instanceof AuthError)) return { reason: 'other' };
  if (error.code === 'locked-out') {
    return {
      reason: 'locked-out',
      ...(error.retryAfterMs ? { retryAfterMinutes: Math.max(1, Math.ceil(error.retryAfterMs / 60_000)) } : {}),
    };
  }
  return error.code === 'bad-credentials' || error.code === 'invalid-hash' ? { reason: error.code } : { reason: 'other' };
}

export interface OidcStart {
  authorizationUrl: string;
  /** Settles when the browser comes back to the loopback redirect (or the attempt fails). */
  completion: Promise<{ user: User; expiresAt?: string }>;
}

/** The sign-in mechanisms this workstation offers (local accounts, the hospital's OIDC provider). */
export interface SignInMethods {
  local?: (username: string, password: string) => Promise<User>;
  oidc?: (signal: AbortSignal) => Promise<OidcStart>;
}

export type SessionEvent =
  | { type: 'login'; user: User; method: 'local' | 'oidc' }
  | { type: 'login-failed'; attemptedUser: string; method: 'local' | 'oidc'; message: string }
  | { type: 'logout'; user: User; cause: 'user' | 'expired' }
  | { type: 'locked'; user: User; cause: 'user' | 'idle' }
  | { type: 'unlocked'; user: User }
  | { type: 'privacy-mode'; user: User; enabled: boolean };

export interface SignInSessionOptions {
  methods: SignInMethods;
  idleLockMinutes: number;
  sessionMaxHours: number;
  /** Every state change, for the renderer (session.changed) and for the audit trail. */
  onChange?: (view: SessionView, event: SessionEvent) => void;
  /** Roles whose identifiers are masked even outside privacy mode. */
  masksIdentifiers: (user: User) => boolean;
  /** What the user's roles allow, for the screen to hide what it may not do. */
  capabilitiesOf: (user: User) => Capability[];
  clock?: () => number;
}

type State =
  | { kind: 'signed-out'; notice?: SessionView['notice'] }
  | { kind: 'active'; user: User; expiresAt: number; lastActivity: number }
  | { kind: 'locked'; user: User; expiresAt: number; lastActivity: number; lockCause: 'user' | 'idle' };

/**
 * The one signed-in user of this workstation, owned by main: idle lock after N minutes
 * without activity, a hard end after M hours (or the identity provider's token lifetime),
 * privacy mode. Services ask `require()` before touching patient data.
 */
export class SignInSession {
  private state: State = { kind: 'signed-out' };
  private privacyMode = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private oidcAttempt: AbortController | undefined;
  private oidcFailure: SessionView['oidcFailure'];
  private readonly options: SignInSessionOptions;
  private readonly clock: () => number;

  constructor(options: SignInSessionOptions) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
  }

  view(): SessionView {
    this.expireIfDue();
    const s = this.state;
    return {
      state: s.kind,
      ...(s.kind !== 'signed-out' ? { user: s.user, expiresAt: new Date(s.expiresAt).toISOString() } : {}),
      privacyMode: this.privacyMode,
      rolesMaskIdentifiers: s.kind !== 'signed-out' && this.options.masksIdentifiers(s.user),
      capabilities: s.kind === 'signed-out' ? [] : this.options.capabilitiesOf(s.user),
      idleLockMinutes: this.options.idleLockMinutes,
      methods: { local: Boolean(this.options.methods.local), oidc: Boolean(this.options.methods.oidc) },
      ...(s.kind === 'signed-out' && s.notice ? { notice: s.notice } : {}),
      ...(s.kind === 'locked' && s.lockCause === 'idle' ? { notice: 'idle-locked' as const } : {}),
      ...(s.kind !== 'active' && this.oidcFailure ? { oidcFailure: this.oidcFailure } : {}),
    };
  }

  /** The active user, or a SessionRequiredError. Counts as activity. */
  require(): User {
    this.expireIfDue();
    const s = this.state;
    if (s.kind === 'signed-out') throw new SessionRequiredError('signed-out');
    if (s.kind === 'locked') throw new SessionRequiredError('locked');
    this.activity();
    return s.user;
  }

  /** Signed in, not locked, not expired: patient data may flow. */
  isActive(): boolean {
    this.expireIfDue();
    return this.state.kind === 'active';
  }

  /** The user whose session this is, active or locked (e.g. for auditing a refused call). */
  currentUser(): User | undefined {
    return this.state.kind === 'signed-out' ? undefined : this.state.user;
  }

  isPrivacyMode(): boolean {
    return this.privacyMode;
  }

  async signInLocal(username: string, password: string): Promise<SessionView> {
    const local = this.options.methods.local;
    if (!local) throw new SignInRefusedError({ reason: 'local-disabled' }, 'local accounts are not enabled on this workstation');
    return this.begin(await this.checkLocal(local, username, password), 'local');
  }

  async beginOidc(): Promise<string> {
    const oidc = this.options.methods.oidc;
    if (!oidc)
      throw new SignInRefusedError({ reason: 'oidc-not-configured' }, 'sign-in with the hospital identity provider is not configured');
    this.oidcAttempt?.abort();
    this.oidcFailure = undefined;
    const attempt = new AbortController();
    this.oidcAttempt = attempt;
    const started = await oidc(attempt.signal);
    started.completion.then(
      ({ user, expiresAt }) => {
        if (attempt.signal.aborted) return;
        this.begin(user, 'oidc', expiresAt ? Date.parse(expiresAt) : undefined);
      },
      (error: unknown) => {
        if (attempt.signal.aborted) return;
        this.oidcFailure = { reason: oidcFailureReasonOf(error), at: new Date(this.clock()).toISOString() };
        this.options.onChange?.(this.view(), { type: 'login-failed', attemptedUser: 'oidc', method: 'oidc', message: messageOf(error) });
      },
    );
    return started.authorizationUrl;
  }

  async unlockLocal(password: string): Promise<SessionView> {
    const s = this.state;
    if (s.kind !== 'locked') throw new SignInRefusedError({ reason: 'not-locked' }, 'the session is not locked');
    const local = this.options.methods.local;
    if (s.user.authMethod !== 'local' || !local) {
      throw new SignInRefusedError({ reason: 'unlock-with-idp' }, 'this session unlocks through the hospital identity provider');
    }
    await this.checkLocal(local, s.user.id.replace(/^local:/, ''), password);
    this.state = { kind: 'active', user: s.user, expiresAt: s.expiresAt, lastActivity: this.clock() };
    this.armIdleTimer();
    const view = this.view();
    this.options.onChange?.(view, { type: 'unlocked', user: s.user });
    return view;
  }

  lock(cause: 'user' | 'idle' = 'user'): SessionView {
    const s = this.state;
    if (s.kind === 'active') {
      this.state = { ...s, kind: 'locked', lockCause: cause };
      this.clearIdleTimer();
      this.options.onChange?.(this.view(), { type: 'locked', user: s.user, cause });
    }
    return this.view();
  }

  signOut(): SessionView {
    this.end('user');
    return this.view();
  }

  /** Postpones the idle lock; the armed timer re-arms itself from here when it fires (no timer churn per call). */
  activity(): void {
    if (this.state.kind !== 'active') return;
    this.state.lastActivity = this.clock();
  }

  setPrivacyMode(enabled: boolean): SessionView {
    const user = this.require();
    if (this.privacyMode !== enabled) {
      this.privacyMode = enabled;
      this.options.onChange?.(this.view(), { type: 'privacy-mode', user, enabled });
    }
    return this.view();
  }

  /** Stops timers and any sign-in in progress (workstation shutdown). */
  dispose(): void {
    this.clearIdleTimer();
    this.oidcAttempt?.abort();
  }

  /** Locks when the idle time has passed; the timer calls it, tests with a fake clock too. */
  checkIdle(): void {
    const s = this.state;
    if (s.kind !== 'active') return;
    if (this.clock() - s.lastActivity >= this.options.idleLockMinutes * 60_000) this.lock('idle');
    else this.armIdleTimer();
  }

  /** A local password check; a failure is reported (audited) and refused with its reason. */
  private async checkLocal(local: NonNullable<SignInMethods['local']>, username: string, password: string): Promise<User> {
    try {
      return await local(username, password);
    } catch (error) {
      const message = messageOf(error);
      this.options.onChange?.(this.view(), { type: 'login-failed', attemptedUser: username, method: 'local', message });
      throw new SignInRefusedError(refusalOf(error), message);
    }
  }

  private begin(user: User, method: 'local' | 'oidc', tokenExpiry?: number): SessionView {
    const now = this.clock();
    const maxEnd = now + this.options.sessionMaxHours * 3_600_000;
    const expiresAt = tokenExpiry !== undefined && Number.isFinite(tokenExpiry) ? Math.min(maxEnd, tokenExpiry) : maxEnd;
    this.oidcFailure = undefined;
    const previous = this.currentUser();
    // Another person signing in (or unlocking) ends the previous session: nothing of it carries over.
    if (previous && previous.id !== user.id) this.end('user');
    this.state = { kind: 'active', user, expiresAt, lastActivity: now };
    this.armIdleTimer();
    const view = this.view();
    this.options.onChange?.(view, { type: 'login', user, method });
    return view;
  }

  private end(cause: 'user' | 'expired'): void {
    const s = this.state;
    this.clearIdleTimer();
    this.privacyMode = false;
    this.state = { kind: 'signed-out', notice: cause === 'expired' ? 'expired' : 'signed-out' };
    if (s.kind !== 'signed-out') this.options.onChange?.(this.view(), { type: 'logout', user: s.user, cause });
  }

  private expireIfDue(): void {
    const s = this.state;
    if (s.kind !== 'signed-out' && this.clock() >= s.expiresAt) this.end('expired');
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    const s = this.state;
    if (s.kind !== 'active') return;
    const due = s.lastActivity + this.options.idleLockMinutes * 60_000 - this.clock();
    this.idleTimer = setTimeout(() => this.checkIdle(), Math.max(0, due));
    this.idleTimer.unref?.();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
