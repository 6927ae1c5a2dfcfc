import type * as fuses from '@electron/fuses';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { electronBinaryPath, electronFuseConfig } from '../../../build/electron-fuses.ts';

const flipped = vi.hoisted(() => [] as { binary: string; config: unknown }[]);
vi.mock('@electron/fuses', async (importOriginal) => ({
  ...(await importOriginal<typeof fuses>()),
  flipFuses: async (binary: string, config: unknown) => {
    flipped.push({ binary, config });
    return 1;
  },
}));

describe('the fuse configuration', () => {
  it('decides every fuse this Electron knows, and fails packaging for new ones', () => {
    expect(electronFuseConfig.version).toBe(FuseVersion.V1);
    expect(electronFuseConfig.strictlyRequireAllFuses).toBe(true);
    const known = Object.values(FuseV1Options).filter((v): v is FuseV1Options => typeof v === 'number');
    for (const fuse of known) expect(typeof electronFuseConfig[fuse], FuseV1Options[fuse]).toBe('boolean');
  });

  it('closes the doors an attacker with local access would use', () => {
    expect(electronFuseConfig[FuseV1Options.RunAsNode]).toBe(false);
    expect(electronFuseConfig[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(electronFuseConfig[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(electronFuseConfig[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(electronFuseConfig[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(electronFuseConfig[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(electronFuseConfig[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(false);
    expect(electronFuseConfig[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });
});

describe('electronBinaryPath', () => {
  const packed = { appOutDir: '/out', productFilename: 'Huizhen 汇诊', executableName: 'huizhen' };

  it('finds the binary on each platform', () => {
    expect(electronBinaryPath({ ...packed, electronPlatformName: 'linux' })).toBe(path.join('/out', 'huizhen'));
    expect(electronBinaryPath({ ...packed, electronPlatformName: 'win32' })).toBe(path.join('/out', 'Huizhen 汇诊.exe'));
    expect(electronBinaryPath({ ...packed, electronPlatformName: 'darwin' })).toBe(path.join('/out', 'Huizhen 汇诊.app'));
    expect(electronBinaryPath({ ...packed, electronPlatformName: 'mas' })).toBe(path.join('/out', 'Huizhen 汇诊.app'));
    expect(() => electronBinaryPath({ ...packed, electronPlatformName: 'aix' })).toThrow(/aix/);
  });
});

describe('the afterPack hook', () => {
  it('flips exactly this configuration on the packed binary', async () => {
    // A .mjs module without type declarations: imported through a variable, typed by hand.
    const hookModule = '../../../build/after-pack.mjs';
    const { default: afterPack } = (await import(hookModule)) as { default: (context: unknown) => Promise<void> };
    await afterPack({
      appOutDir: '/release/linux-unpacked',
      electronPlatformName: 'linux',
      packager: { executableName: 'huizhen', appInfo: { productFilename: 'Huizhen 汇诊' } },
    });
    expect(flipped).toEqual([{ binary: path.join('/release/linux-unpacked', 'huizhen'), config: electronFuseConfig }]);
  });
});
