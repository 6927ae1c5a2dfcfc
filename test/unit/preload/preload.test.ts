import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiMethods, ipcChannel, IPC_EVENT_CHANNEL } from '../../../src/shared/api/contract.ts';
import type { HuizhenApi } from '../../../src/shared/api/client.ts';
import type { ApiEvent } from '../../../src/shared/api/events.ts';
import { contextBridge, ipcRenderer, resetFakeElectron } from '../../fakes/electron.ts';
import { demoStatus } from '../main/electron/support.ts';

let api: HuizhenApi;

beforeAll(async () => {
  resetFakeElectron();
  await import('../../../src/preload/preload.ts');
  api = contextBridge.exposed.get('huizhen') as HuizhenApi;
});

beforeEach(() => {
  ipcRenderer.invocations.length = 0;
  ipcRenderer.removeAllListeners();
});

describe('the exposed API', () => {
  it('is exposed once, as window.huizhen, and nothing else', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['huizhen']);
  });

  it('has exactly one function per API method plus onEvent', () => {
    expect(Object.keys(api).sort()).toEqual([...apiMethods, 'onEvent'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('never hands out ipcRenderer', () => {
    const exposed: unknown[] = Object.values(api);
    const ipcParts: unknown[] = [ipcRenderer, ipcRenderer.invoke, ipcRenderer.on, ipcRenderer.send, ipcRenderer.emit];
    for (const value of exposed) expect(ipcParts).not.toContain(value);
  });
});

describe('calls', () => {
  it('invoke the derived channel with the one request and return the value', async () => {
    ipcRenderer.responder = () => ({ ok: true, value: { sources: [demoStatus] } });
    await expect(api.listSources({})).resolves.toEqual({ sources: [demoStatus] });
    expect(ipcRenderer.invocations).toEqual([{ channel: ipcChannel('listSources'), args: [{}] }]);
  });

  it('turn a typed refusal into a thrown Error with its code and message', async () => {
    ipcRenderer.responder = () => ({ ok: false, error: { code: 'forbidden', message: 'listSources refused' } });
    await expect(api.listSources({})).rejects.toMatchObject({
      name: 'HuizhenApiError',
      code: 'forbidden',
      message: 'listSources refused',
    });
  });

  it('reject malformed replies and replies that break the contract', async () => {
    ipcRenderer.responder = () => 'hello';
    await expect(api.listSources({})).rejects.toThrow(/malformed reply/);
    ipcRenderer.responder = () => ({ ok: true, value: { sources: 'all of them' } });
    await expect(api.listSources({})).rejects.toThrow(/does not match the API contract/);
  });
});

describe('onEvent', () => {
  const event: ApiEvent = { type: 'timeline.updated', viewId: 'open-1', entries: [], sources: [demoStatus], complete: false };

  it('passes only the validated event, never the IpcRendererEvent, and unsubscribes', () => {
    const received: unknown[][] = [];
    const unsubscribe = api.onEvent((...args: unknown[]) => received.push(args));
    ipcRenderer.deliver(IPC_EVENT_CHANNEL, event);
    ipcRenderer.deliver(IPC_EVENT_CHANNEL, { type: 'shell.exec', command: 'rm -rf /' });
    expect(received).toEqual([[event]]);

    unsubscribe();
    expect(ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    ipcRenderer.deliver(IPC_EVENT_CHANNEL, event);
    expect(received).toHaveLength(1);
  });
});
