import { app } from 'electron';
import { loadConfigFile } from '../services/config/load-config.ts';
import { createWorkstation } from '../services/workstation/create-workstation.ts';
import { runDesktopShell } from './desktop-shell.ts';
import { openSettingsStore } from './settings-file.ts';

// Entry point of the desktop app (bundled to dist/electron/main.cjs). Wiring only; the
// lifecycle is in desktop-shell.ts so it can be tested with a fake electron module.
runDesktopShell({
  loadConfigFile,
  createWorkstation,
  openSettings: openSettingsStore,
  appDir: app.getAppPath(),
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
});
