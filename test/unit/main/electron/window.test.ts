import { beforeEach, describe, expect, it } from 'vitest';
import { createAppWindow, loadRenderer } from '../../../../src/main/electron/window.ts';
import { FakeBrowserWindow, resetFakeElectron } from '../../../fakes/electron.ts';

beforeEach(() => resetFakeElectron());

/** The webPreferences the window was really created with, as Electron would receive them. */
function webPreferencesOf(options: { allowDevTools?: boolean }): Record<string, unknown> {
  createAppWindow({ preloadPath: '/p.cjs', title: 'Huizhen', ...options });
  return FakeBrowserWindow.created.at(-1)?.options.webPreferences as Record<string, unknown>;
}

describe('the app window', () => {
  it('is created with every hardened webPreferences flag', () => {
    createAppWindow({ preloadPath: '/app/dist/electron/preload.cjs', title: 'Huizhen' });
    const prefs = FakeBrowserWindow.created[0]?.options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });

  it('allows DevTools only when asked (development builds)', () => {
    expect(webPreferencesOf({})).toMatchObject({ devTools: false });
    expect(webPreferencesOf({ allowDevTools: true })).toMatchObject({ devTools: true });
  });

  it('sets no flag that would weaken the renderer', () => {
    const prefs = webPreferencesOf({});
    for (const risky of ['enableBlinkFeatures', 'additionalArguments', 'partition', 'disableBlinkFeatures', 'enableWebSQL']) {
      expect(prefs, risky).not.toHaveProperty(risky);
    }
  });

  it('stays hidden until first paint and restores saved bounds', () => {
    createAppWindow({ preloadPath: '/p.cjs', title: 'Huizhen', bounds: { x: 5, y: 6, width: 1000, height: 700 } });
    const window = FakeBrowserWindow.created[0]!;
    expect(window.options).toMatchObject({ show: false, x: 5, y: 6, width: 1000, height: 700 });
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('loads the renderer from the app origin, not file://', async () => {
    const window = createAppWindow({ preloadPath: '/p.cjs', title: 'Huizhen' });
    await loadRenderer(window);
    expect(FakeBrowserWindow.created[0]?.webContents.getURL()).toBe('app://huizhen/index.html');
  });
});
