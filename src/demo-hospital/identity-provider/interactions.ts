/**
 * The login step of the demo IdP: oidc-provider leaves interactions to the host. Its dev
 * interactions accept any password, so this one checks the demo password, and offers cancel
 * (→ access_denied at the client, as a real "Cancel" button would).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { DEMO_PASSWORD, DEMO_STAFF, type DemoStaffMember } from './demo-users.ts';
import { LOGIN_PAGE_HEADERS, loginPage } from './login-page.ts';

const MAX_FORM_BYTES = 4096;

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BYTES) {
        req.destroy();
        reject(new Error('form too large'));
      }
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function findStaff(username: string, password: string): DemoStaffMember | undefined {
  const member = DEMO_STAFF.find((m) => m.username === username.trim().toLowerCase());
  const passwordOk = sameSecret(password, DEMO_PASSWORD);
  return member && passwordOk ? member : undefined;
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, LOGIN_PAGE_HEADERS);
  res.end(body);
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Huizhen is the hospital's own app, so there is no consent screen: what it asks for is granted.
 * (oidc-provider still raises a consent prompt for every native client, as it cannot tell a
 * genuine native app from an impostor; a hospital IdP would decide the same by policy.)
 */
async function grantFirstPartyConsent(
  provider: Provider,
  details: InteractionDetails,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = details.params['client_id'];
  if (!accountId || typeof clientId !== 'string') throw new Error('consent without a signed-in account');
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant expired');
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/** Handles /interaction/:uid, /interaction/:uid/login and /interaction/:uid/abort; false for any other path. */
export async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(new URL(req.url ?? '/', 'http://idp').pathname);
  if (!match) return false;
  const action = match[2];
  try {
    const details = await provider.interactionDetails(req, res);
    const clientName = 'Huizhen 汇诊';
    if (action === undefined && req.method === 'GET' && details.prompt.name === 'consent') {
      await grantFirstPartyConsent(provider, details, req, res);
    } else if (action === undefined && req.method === 'GET') {
      html(res, 200, loginPage({ uid: details.uid, clientName }));
    } else if (action === '/abort' && req.method === 'POST') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the user cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
    } else if (action === '/login' && req.method === 'POST') {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const member = findStaff(username, form.get('password') ?? '');
      if (!member) {
        html(res, 401, loginPage({ uid: details.uid, clientName, username, error: '用户名或密码错误 Wrong username or password' }));
      } else {
        await provider.interactionFinished(req, res, { login: { accountId: member.sub } }, { mergeWithLastSubmission: false });
      }
    } else {
      html(res, 405, '<!DOCTYPE html><title>Method not allowed</title><p>Method not allowed</p>');
    }
  } catch (error) {
    // Typically an expired or unknown interaction (cookie gone): say so instead of a 500.
    html(
      res,
      400,
      `<!DOCTYPE html><title>Sign-in expired</title><p>This sign-in page has expired; start again from Huizhen. (${(error as Error).name})</p>`,
    );
  }
  return true;
}
