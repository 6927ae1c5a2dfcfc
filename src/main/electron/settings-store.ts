import { z } from 'zod';

/**
 * Non-secret, per-user UI settings only. electron-store writes plain JSON (its `encryptionKey`
 * is obfuscation), so nothing about patients, credentials or keys ever goes here.
 */
export const SettingsSchema = z.object({
  windowBounds: z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().min(400).max(16_384),
      height: z.number().int().min(300).max(16_384),
    })
    .strict()
    .optional(),
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type Settings = z.output<typeof SettingsSchema>;
export type SettingsPatch = z.input<typeof SettingsSchema>;

/** Where settings live; electron-store in the app, a plain object in tests. */
export interface SettingsBacking {
  read(): unknown;
  write(settings: Settings): void;
}

export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<SettingsPatch>): Settings;
}

/**
 * Settings validated on the way in and out. A hand-edited or older file that no longer fits the
 * schema falls back to defaults instead of stopping the app: losing a window size is harmless.
 */
export function createSettingsStore(backing: SettingsBacking): SettingsStore {
  const defaults = SettingsSchema.parse({});
  const read = (): Settings => {
    const parsed = SettingsSchema.safeParse(backing.read());
    return parsed.success ? parsed.data : defaults;
  };
  return {
    get: read,
    update(patch) {
      const next = SettingsSchema.parse({ ...read(), ...patch });
      backing.write(next);
      return next;
    },
  };
}
