import path from 'node:path';
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

/**
 * The Electron fuses flipped in the packaged binary (Electron docs: tutorial/fuses.md). Fuses are
 * compiled-in switches that no command line, environment variable or script can turn back on.
 * `strictlyRequireAllFuses` makes packaging fail when a new Electron adds a fuse nobody decided on.
 */
export const electronFuseConfig = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // Flipping fuses invalidates the ad-hoc signature of arm64 macOS builds; re-sign them ad hoc
  // (a real Developer ID signature is applied later by electron-builder).
  resetAdHocDarwinSignature: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies on disk encrypted with an OS-protected key, like safeStorage.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS could preload arbitrary code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would open a debugger on the main process, which holds credentials.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app code in app.asar must match the hash recorded at packaging time.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Never load the app from a loose folder placed next to the binary.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer uses app://; file:// keeps no special powers.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} satisfies FuseV1Config;

/** What the afterPack hook needs from electron-builder's AfterPackContext. */
export interface PackedApp {
  appOutDir: string;
  electronPlatformName: string;
  productFilename: string;
  /** Linux executable name (electron-builder's `linux.executableName`). */
  executableName: string;
}

/**
 * Where the Electron binary sits in a packed app. On macOS flipFuses takes the .app bundle and
 * finds the framework binary itself; elsewhere it is the renamed electron executable.
 */
export function electronBinaryPath(packed: PackedApp): string {
  switch (packed.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(packed.appOutDir, `${packed.productFilename}.app`);
    case 'win32':
      return path.join(packed.appOutDir, `${packed.productFilename}.exe`);
    case 'linux':
      return path.join(packed.appOutDir, packed.executableName);
    default:
      throw new Error(`no known Electron binary location for platform "${packed.electronPlatformName}"`);
  }
}
