/**
 * The demo hospital's identity provider: the certified `oidc-provider` on 127.0.0.1, with one
 * public native client (Huizhen; PKCE required, any loopback port per RFC 8252 §7.3) and the
 * demo staff. Signing keys are made fresh at every start.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { DEMO_CLIENT_ID, DEMO_STAFF, demoClaims, type DemoStaffMember } from './demo-users.ts';
import { handleInteraction } from './interactions.ts';
import { listenOnLoopback } from '../../adapters/http/listen-on-loopback.ts';
import { memoryAdapterFactory } from './memory-adapter.ts';

export interface DemoIdentityProvider {
  /** Issuer URL, e.g. http://127.0.0.1:41234 (discovery at /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  users: readonly DemoStaffMember[];
  stop(): Promise<void>;
}

export interface DemoIdentityProviderOptions {
  /** Fixed port for manual use; tests leave it at 0. */
  port?: number;
  /** ID token lifetime in seconds (default 1 h). */
  idTokenTtlSeconds?: number;
}

async function signingKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `demo-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

function configuration(key: Record<string, unknown>, idTokenTtl: number): Configuration {
  return {
    adapter: memoryAdapterFactory(),
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: 'Huizhen 汇诊',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        // Registered without a port: for native clients oidc-provider accepts any loopback port.
        redirect_uris: ['http://127.0.0.1/oidc/callback'],
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [key as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'huizhen_roles', 'huizhen_wards', 'practitioner_id'],
    },
    // Put the profile claims in the ID token too, so the client need not call userinfo.
    conformIdTokenClaims: false,
    ttl: { IdToken: idTokenTtl, AccessToken: idTokenTtl, Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600 },
    async findAccount(_ctx, sub) {
      const member = DEMO_STAFF.find((m) => m.sub === sub);
      if (!member) return undefined;
      return { accountId: sub, claims: () => ({ ...demoClaims(member), sub }) };
    },
  };
}

export async function startDemoIdentityProvider(options: DemoIdentityProviderOptions = {}): Promise<DemoIdentityProvider> {
  // The issuer URL holds the port, so the provider is made, and requests served, once the server listens.
  const server = createServer();
  const port = await listenOnLoopback(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration(await signingKey(), options.idTokenTtlSeconds ?? 3600));
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleInteraction(provider, req, res).then((handled) => {
      if (!handled) void handle(req, res);
    });
  });

  return {
    issuer,
    clientId: DEMO_CLIENT_ID,
    users: DEMO_STAFF,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
