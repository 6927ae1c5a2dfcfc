import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { apiMethods, ipcChannel, IPC_EVENT_CHANNEL, type ApiMethod } from '../../shared/api/contract.ts';
import { type ApiBackend, dispatchApiCall } from '../services/api/index.ts';
import { isAppUrl } from './app-origin.ts';
import type { IpcResult } from '../../shared/api/ipc-result.ts';

export interface ApiIpcOptions {
  backend: ApiBackend;
  /** The webContents of the app's own windows: the only ones that may call and be told. */
  appWebContents: () => readonly WebContents[];
  /** Logs a handler failure; the renderer only learns that the call failed. */
  onInternalError?: (method: ApiMethod, error: unknown) => void;
}

/**
 * Wires the typed API onto IPC: one `ipcMain.handle` per contract method (nothing else is
 * registered, so unknown channels have no handler), each guarded by a sender check and then
 * handed to the shared dispatcher, which validates the payload. Backend events go to the app's
 * windows only. Returns a function that undoes all of it.
 */
export function registerApiIpc(options: ApiIpcOptions): () => void {
  const { backend, appWebContents, onInternalError } = options;

  for (const method of apiMethods) {
    ipcMain.handle(ipcChannel(method), async (event, ...args: unknown[]): Promise<IpcResult> => {
      const refusal = senderRefusal(event, appWebContents());
      if (refusal) return { ok: false, error: { code: 'forbidden', message: `${method} refused: ${refusal}` } };
      // The preload always sends exactly one request object; anything else did not come from it.
      if (args.length !== 1) {
        return { ok: false, error: { code: 'invalid-request', message: `${method} takes exactly one request object` } };
      }
      const result = await dispatchApiCall(backend.handlers, method, args[0], onInternalError);
      return result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error };
    });
  }

  const unsubscribe = backend.subscribe((apiEvent) => {
    for (const contents of appWebContents()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT_CHANNEL, apiEvent);
    }
  });

  return () => {
    unsubscribe();
    for (const method of apiMethods) ipcMain.removeHandler(ipcChannel(method));
  };
}

/**
 * Why a call must not run, or undefined if it may. Only the main frame of one of the app's own
 * windows, showing a page of the app origin, may call: not an iframe (even a same-origin one, as
 * it may host other content), not a frame that has navigated away or been destroyed (senderFrame
 * is then null), not some other webContents.
 */
export function senderRefusal(event: IpcMainInvokeEvent, appContents: readonly WebContents[]): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (!appContents.includes(event.sender)) return 'the sender is not an app window';
  if (frame.parent !== null || frame !== event.sender.mainFrame) return 'the sender is not the main frame';
  if (!isAppUrl(frame.url)) return 'the sender is not the app origin';
  return undefined;
}
