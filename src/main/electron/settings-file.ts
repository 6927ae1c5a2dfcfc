import Store from 'electron-store';
import { createSettingsStore, type SettingsStore } from './settings-store.ts';

/**
 * The app's settings file (settings.json in the user data folder), via electron-store for its
 * atomic writes. Kept apart from settings-store.ts because electron-store loads the real
 * `electron` package, which unit tests must never touch. Call after app ready.
 */
export function openSettingsStore(): SettingsStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', clearInvalidConfig: true });
  return createSettingsStore({
    read: () => store.store,
    write: (settings) => {
      store.store = settings;
    },
  });
}
