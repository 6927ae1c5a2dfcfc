import { contextBridge, ipcRenderer } from 'electron';
import { createIpcApi } from './ipc-api.ts';

// Runs in the sandboxed renderer's isolated world, bundled to CommonJS (dist/electron/preload.cjs):
// a sandboxed preload can require only 'electron' and a few Node polyfills, not ESM or packages.
contextBridge.exposeInMainWorld('huizhen', createIpcApi(ipcRenderer));
