import { beforeEach, describe, expect, it } from 'vitest';
import { registerApiIpc } from '../../../../src/main/electron/ipc.ts';
import { apiMethods, ipcChannel, IPC_EVENT_CHANNEL } from '../../../../src/shared/api/contract.ts';
import type { ApiEvent } from '../../../../src/shared/api/events.ts';
import { FakeWebContents, FakeWebFrameMain, ipcMain, resetFakeElectron } from '../../../fakes/electron.ts';
import { asElectron, demoStatus, fakeBackend } from './support.ts';
import type { WebContents } from 'electron';

let appContents: FakeWebContents;
let backendFake: ReturnType<typeof fakeBackend>;
let internalErrors: unknown[];
let dispose: () => void;

beforeEach(async () => {
  resetFakeElectron();
  appContents = new FakeWebContents();
  await appContents.loadURL('app://huizhen/index.html');
  backendFake = fakeBackend({
    closePatient: async () => {
      throw new Error('disk full at /home/dr/cache for patient 张三');
    },
  });
  internalErrors = [];
  dispose = registerApiIpc({
    backend: backendFake.backend,
    appWebContents: () => [asElectron<WebContents>(appContents)],
    onInternalError: (_method, error) => internalErrors.push(error),
  });
});

const callFromApp = (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, { sender: appContents }, ...args);

describe('IPC registration', () => {
  it('registers exactly one handler per API method, nothing else', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(apiMethods.map(ipcChannel).sort());
  });

  it('has no handler for unknown channels', async () => {
    await expect(callFromApp('huizhen:deleteEverything', {})).rejects.toThrow(/No handler registered/);
    await expect(callFromApp('huizhen:constructor', {})).rejects.toThrow(/No handler registered/);
  });

  it('removes its handlers and its event subscription when disposed', () => {
    expect(backendFake.listenerCount()).toBe(1);
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(backendFake.listenerCount()).toBe(0);
  });
});

describe('calls from the app window', () => {
  it('reach the handler with the validated request', async () => {
    const reply = await callFromApp(ipcChannel('searchPatients'), { query: '  张伟 ' });
    expect(reply).toEqual({ ok: true, value: { candidates: [], sources: [demoStatus] } });
    expect(backendFake.calls).toEqual([{ method: 'searchPatients', request: { query: '张伟' } }]);
  });

  it.each([
    ['no payload', []],
    ['two payloads', [{ query: 'a' }, { query: 'b' }]],
    ['an unknown field', [{ query: 'a', sql: 'drop' }]],
    ['a wrong type', [{ query: 42 }]],
    ['an empty query', [{ query: '   ' }]],
    ['a string', ['张伟']],
  ])('with %s are rejected with a typed error before any service runs', async (_label, args) => {
    const reply = await callFromApp(ipcChannel('searchPatients'), ...args);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.any(String) } });
    expect(backendFake.calls).toEqual([]);
  });

  it('report handler failures as a typed internal error without the details', async () => {
    const reply = await callFromApp(ipcChannel('closePatient'), { viewId: 'open-1' });
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'closePatient failed; see the workstation log' } });
    expect(JSON.stringify(reply)).not.toMatch(/张三|\/home/);
    expect(internalErrors).toHaveLength(1);
  });
});

describe('calls from anywhere else', () => {
  const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String) } };

  it('are refused from a frame of another origin', async () => {
    await appContents.loadURL('https://evil.example/index.html');
    expect(await callFromApp(ipcChannel('listSources'), {})).toEqual(forbidden);
    expect(backendFake.calls).toEqual([]);
  });

  it('are refused from a subframe, even one of the app origin', async () => {
    const subframe = new FakeWebFrameMain('app://huizhen/index.html', appContents.mainFrame);
    const reply = await ipcMain.invoke(ipcChannel('listSources'), { sender: appContents, senderFrame: subframe }, {});
    expect(reply).toEqual(forbidden);
  });

  it('are refused from a frame that is not the main frame though it has no parent', async () => {
    const stray = new FakeWebFrameMain('app://huizhen/index.html');
    expect(await ipcMain.invoke(ipcChannel('listSources'), { sender: appContents, senderFrame: stray }, {})).toEqual(forbidden);
  });

  it('are refused when the sending frame is gone', async () => {
    expect(await ipcMain.invoke(ipcChannel('listSources'), { sender: appContents, senderFrame: null }, {})).toEqual(forbidden);
  });

  it('are refused from a webContents that is not an app window', async () => {
    const other = new FakeWebContents();
    await other.loadURL('app://huizhen/index.html');
    expect(await ipcMain.invoke(ipcChannel('listSources'), { sender: other }, {})).toEqual(forbidden);
    expect(backendFake.calls).toEqual([]);
  });
});

describe('events', () => {
  const event: ApiEvent = { type: 'source.status', status: demoStatus };

  it('go to app windows showing the app origin only', async () => {
    backendFake.emit(event);
    expect(appContents.sent).toEqual([{ channel: IPC_EVENT_CHANNEL, args: [event] }]);

    await appContents.loadURL('https://evil.example/');
    backendFake.emit(event);
    expect(appContents.sent).toHaveLength(1);
  });

  it('skip destroyed windows without throwing', () => {
    appContents.destroyed = true;
    expect(() => backendFake.emit(event)).not.toThrow();
    expect(appContents.sent).toEqual([]);
  });
});
