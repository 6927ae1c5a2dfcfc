import type { AuthConfig } from '../../../shared/config/auth.ts';
import { createLocalSignIn } from './local-accounts.ts';
import { startOidcSignIn } from './oidc/oidc-sign-in.ts';
import type { SignInMethods } from './sign-in-session.ts';

/**
 * The sign-in mechanisms the configuration offers. `openExternal` opens the identity provider's
 * page in the system browser (the desktop shell); without it the renderer opens it.
 */
export function signInMethods(config: AuthConfig, openExternal?: (url: string) => void): SignInMethods {
  const local = config.localAccounts && config.localAccounts.length > 0 ? createLocalSignIn(config.localAccounts) : undefined;
  const oidc = config.oidc;
  return {
    ...(local ? { local: (username: string, password: string) => local.signIn(username, password) } : {}),
    ...(oidc
      ? {
          oidc: async (signal: AbortSignal) => {
            const started = await startOidcSignIn(oidc, { signal });
            openExternal?.(started.authorizationUrl);
            return {
              authorizationUrl: started.authorizationUrl,
              completion: started.completion.then((r) => ({ user: r.user, expiresAt: r.expiresAt.toISOString() })),
            };
          },
        }
      : {}),
  };
}
