import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { apiContract, apiMethods, ipcChannel, IPC_EVENT_CHANNEL, type ApiMethod } from '../shared/api/contract.ts';
import type { HuizhenApi } from '../shared/api/client.ts';
import { ApiEventSchema, type ApiEvent } from '../shared/api/events.ts';
import { IpcResultSchema } from '../shared/api/ipc-result.ts';

/** The part of ipcRenderer the API needs; it never leaves this module. */
export type IpcTransport = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/** A failed API call as the renderer sees it: a normal Error with the code main gave. */
export class HuizhenApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'HuizhenApiError';
    this.code = code;
  }
}

/**
 * Builds window.huizhen: one function per contract method, generated from apiMethods so the
 * preload cannot drift from main, plus onEvent. Only plain functions and data cross the context
 * bridge: never ipcRenderer itself (it would let the page send on any channel), never the
 * IpcRendererEvent (its `sender` is ipcRenderer again).
 */
export function createIpcApi(ipc: IpcTransport): HuizhenApi {
  const call = async (method: ApiMethod, request: unknown): Promise<unknown> => {
    const reply = IpcResultSchema.safeParse(await ipc.invoke(ipcChannel(method), request));
    if (!reply.success) throw new HuizhenApiError('internal', `${method}: malformed reply from main`);
    if (!reply.data.ok) throw new HuizhenApiError(reply.data.error.code, reply.data.error.message);
    // Main's reply is checked against the contract here, so HuizhenApi's types are true.
    const value = apiContract[method].response.safeParse(reply.data.value);
    if (!value.success) throw new HuizhenApiError('internal', `${method}: reply does not match the API contract`);
    return value.data;
  };

  const methods = Object.fromEntries(apiMethods.map((method) => [method, (request: unknown) => call(method, request)])) as {
    [M in ApiMethod]: HuizhenApi[M];
  };

  const onEvent = (listener: (event: ApiEvent) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => {
      const parsed = ApiEventSchema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
    };
    ipc.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipc.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  };

  return Object.freeze({ ...methods, onEvent });
}
