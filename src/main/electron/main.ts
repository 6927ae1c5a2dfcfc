import { app } from 'electron';
import { loadConfigFile } from '../services/config/index.ts';
import { composeWorkstation, type FetchHandler } from '../composition/index.ts';
import { runDesktopShell } from './desktop-shell.ts';
import { createSafeStorageKeyProtector } from './key-protection.ts';
import { openExternalIfAllowed } from './navigation-guards.ts';
import { openSettingsStore } from './settings-file.ts';

// Entry point of the desktop app (bundled to dist/electron/main.cjs). Wiring only; the
// lifecycle is in desktop-shell.ts so it can be tested with a fake electron module.
let dicomweb: FetchHandler | undefined;

runDesktopShell({
  loadConfigFile,
  async createWorkstation(config) {
    // The cache's master key is protected by the OS key store (Keychain, DPAPI, libsecret).
    const composed = await composeWorkstation(config, {
      protector: () => createSafeStorageKeyProtector({ allowBasicText: config.cache?.allowInsecureKeyStorage ?? false }),
      log: (line) => console.error(`huizhen: ${line}`),
      // RFC 8252: the identity provider's page opens in the system browser, and only that page.
      openExternal: (url) => {
        const issuer = config.auth.oidc?.issuer;
        if (!issuer) return;
        const idpOrigin = new URL(issuer).origin;
        openExternalIfAllowed(url, { allowExternal: (u) => u.origin === idpOrigin, allowLoopbackHttp: true });
      },
    });
    dicomweb = composed.dicomweb;
    // The renderer reaches the secured API only; closing stops the core (and with it the audit log).
    return { handlers: composed.api.handlers, subscribe: composed.api.subscribe, close: () => composed.workstation.close() };
  },
  mountHandlers(router) {
    // The viewer's DICOMweb endpoint: app://huizhen/dicom-web/… — the renderer never sees the PACS.
    if (dicomweb) router.mount('/dicom-web/', dicomweb);
  },
  openSettings: openSettingsStore,
  appDir: app.getAppPath(),
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
});
