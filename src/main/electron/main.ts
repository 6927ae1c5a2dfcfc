import { app } from 'electron';
import { loadConfigFile } from '../services/config/load-config.ts';
import { composeWorkstation, type FetchHandler } from '../services/workstation/compose-workstation.ts';
import { runDesktopShell } from './desktop-shell.ts';
import { createSafeStorageKeyProtector } from './key-protection.ts';
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
    });
    dicomweb = composed.dicomweb;
    return composed.workstation;
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
