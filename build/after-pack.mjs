// electron-builder afterPack hook: flips the Electron fuses in the packed binary, before signing.
// The configuration lives in electron-fuses.ts (plain data, unit-tested); Node 24, which runs
// electron-builder here, loads TypeScript directly.
import { flipFuses } from '@electron/fuses';
import { electronBinaryPath, electronFuseConfig } from './electron-fuses.ts';

/** @param {import('app-builder-lib').AfterPackContext} context */
export default async function afterPack(context) {
  const binary = electronBinaryPath({
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    executableName: context.packager.executableName ?? context.packager.appInfo.productFilename,
  });
  await flipFuses(binary, electronFuseConfig);
}
