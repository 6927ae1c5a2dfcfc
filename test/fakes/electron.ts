/**
 * A small, honest stand-in for the `electron` module in unit tests (vitest aliases `electron`
 * here; Electron's binary cannot run on CI machines). It records what the code under test
 * registers — scheme privileges, protocol handlers, ipcMain handlers, webContents listeners,
 * BrowserWindow options, context-bridge exposures — and lets tests emit events and invoke
 * handlers. It mirrors Electron's observable rules where they matter for security tests:
 * privileges only before ready, one handler per IPC channel and scheme, no handler → rejection.
 */
import { EventEmitter } from 'node:events';

/** Electron's event object: listeners veto by calling preventDefault(). */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent<T extends object>(fields: T = {} as T): FakeEvent & T {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export class FakeWebFrameMain {
  url: string;
  parent: FakeWebFrameMain | null;

  constructor(url: string, parent: FakeWebFrameMain | null = null) {
    this.url = url;
    this.parent = parent;
  }

  get origin(): string {
    try {
      const u = new URL(this.url);
      return `${u.protocol}//${u.host}`;
    } catch {
      return 'null';
    }
  }
}

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  mainFrame = new FakeWebFrameMain('about:blank');
  windowOpenHandler: WindowOpenHandler | undefined;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  reloads = 0;

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  async loadURL(url: string): Promise<void> {
    this.mainFrame = new FakeWebFrameMain(url);
  }

  getURL(): string {
    return this.mainFrame.url;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    // Electron serialises with the structured clone algorithm; so do we, to catch non-cloneables.
    this.sent.push({ channel, args: structuredClone(args) });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  reload(): void {
    this.reloads++;
  }

  /** Emits an event the way Electron does for cancellable events; returns the event object. */
  emitCancellable<T extends object>(name: string, fields: T, ...extraArgs: unknown[]): FakeEvent & T {
    const event = fakeEvent(fields);
    this.emit(name, event, ...extraArgs);
    return event;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly created: FakeBrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  focused = false;
  minimized = false;

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    FakeBrowserWindow.created.push(this);
    electronState.emitApp('browser-window-created', fakeEvent(), this);
    electronState.emitApp('web-contents-created', fakeEvent(), this.webContents);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.created.filter((w) => !w.destroyed);
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: Number(this.options.width ?? 800), height: Number(this.options.height ?? 600) };
  }
  close(): void {
    this.emit('close', fakeEvent());
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export interface FakeProtocolScheme {
  scheme: string;
  privileges?: Record<string, boolean>;
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class FakeProtocol {
  readonly privileged: FakeProtocolScheme[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();

  registerSchemesAsPrivileged(schemes: FakeProtocolScheme[]): void {
    if (electronState.ready) throw new Error('registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** Test helper: what the renderer would get for `url`. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`no handler for scheme ${scheme}`);
    return handler(new Request(url, init));
  }
}

type InvokeHandler = (event: FakeIpcMainInvokeEvent, ...args: unknown[]) => unknown;

export interface FakeIpcMainInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeWebFrameMain | null;
  frameId: number;
  processId: number;
}

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Test helper: what `ipcRenderer.invoke(channel, ...args)` from `sender` would resolve to. */
  async invoke(
    channel: string,
    from: { sender: FakeWebContents; senderFrame?: FakeWebFrameMain | null },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event: FakeIpcMainInvokeEvent = {
      sender: from.sender,
      senderFrame: from.senderFrame === undefined ? from.sender.mainFrame : from.senderFrame,
      frameId: 1,
      processId: 1,
    };
    // Arguments and results cross a process boundary as structured clones.
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

class FakeIpcRenderer extends EventEmitter {
  /** Set by tests: plays main's side of ipcRenderer.invoke. */
  responder: (channel: string, ...args: unknown[]) => unknown = (channel) => {
    throw new Error(`No handler registered for '${channel}'`);
  };
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  readonly sentToMain: { channel: string; args: unknown[] }[] = [];

  send(channel: string, ...args: unknown[]): void {
    this.sentToMain.push({ channel, args: structuredClone(args) });
  }

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return structuredClone(await this.responder(channel, ...structuredClone(args)));
  }

  /** Test helper: a message from main, as webContents.send would deliver it. */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this, senderId: 0, ports: [] }, ...structuredClone(args));
  }
}

class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.exposed.set(key, api);
  }
}

class FakeSession extends EventEmitter {
  permissionRequestHandler: ((...args: never[]) => void) | null | undefined;
  permissionCheckHandler: ((...args: never[]) => boolean) | null | undefined;
  devicePermissionHandler: ((...args: never[]) => boolean) | null | undefined;

  setPermissionRequestHandler(handler: ((...args: never[]) => void) | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: ((...args: never[]) => boolean) | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((...args: never[]) => boolean) | null): void {
    this.devicePermissionHandler = handler;
  }
}

export type FakeStorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

/** Reversible but not plain: enough to prove bytes went through it and come back. */
class FakeSafeStorage {
  backend: FakeStorageBackend = 'gnome_libsecret';
  available = true;

  getSelectedStorageBackend(): FakeStorageBackend {
    return electronState.ready ? this.backend : 'unknown';
  }
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return electronState.ready && this.available;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('v11'), Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a)]);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    if (encrypted.subarray(0, 3).toString() !== 'v11')
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return { shouldReEncrypt: false, result: Buffer.from(encrypted.subarray(3).map((b) => b ^ 0x5a)).toString('utf8') };
  }
}

class FakeApp extends EventEmitter {
  sandboxEnabled = false;
  hasSingleInstanceLock = true;
  quitCalls = 0;
  exitCode: number | undefined;
  appPath = '/opt/huizhen/resources/app.asar';
  isPackaged = true;
  readyWaiters: (() => void)[] = [];

  enableSandbox(): void {
    if (electronState.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.hasSingleInstanceLock;
  }
  isReady(): boolean {
    return electronState.ready;
  }
  whenReady(): Promise<void> {
    return electronState.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }
  getAppPath(): string {
    return this.appPath;
  }
  getPath(_name: string): string {
    return '/tmp/huizhen-fake-user-data';
  }
  quit(): void {
    this.quitCalls++;
    const event = fakeEvent();
    this.emit('before-quit', event);
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  /** Test helper: Electron's 'ready'. */
  markReady(): void {
    electronState.ready = true;
    this.emit('ready');
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }
}

const electronState = {
  ready: false,
  emitApp(name: string, ...args: unknown[]) {
    app.emit(name, ...args);
  },
};

export const app = new FakeApp();
export const protocol = new FakeProtocol();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const contextBridge = new FakeContextBridge();
export const safeStorage = new FakeSafeStorage();
export const session = { defaultSession: new FakeSession() };
export const BrowserWindow = FakeBrowserWindow;
export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.opened.push(url);
  },
};
export const dialog = {
  errorBoxes: [] as { title: string; content: string }[],
  showErrorBox(title: string, content: string): void {
    dialog.errorBoxes.push({ title, content });
  },
};

/** Puts every fake back to a freshly started, not-yet-ready Electron. */
export function resetFakeElectron(): void {
  electronState.ready = false;
  app.removeAllListeners();
  app.sandboxEnabled = false;
  app.hasSingleInstanceLock = true;
  app.quitCalls = 0;
  app.exitCode = undefined;
  app.isPackaged = true;
  // Shells started by earlier tests must not wake up on this test's 'ready'.
  app.readyWaiters.length = 0;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invocations.length = 0;
  ipcRenderer.sentToMain.length = 0;
  contextBridge.exposed.clear();
  const defaultSession = new FakeSession();
  session.defaultSession = defaultSession;
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.available = true;
  FakeBrowserWindow.created.length = 0;
  shell.opened.length = 0;
  dialog.errorBoxes.length = 0;
}

export default {
  app,
  protocol,
  ipcMain,
  ipcRenderer,
  contextBridge,
  safeStorage,
  session,
  BrowserWindow,
  shell,
  dialog,
};
