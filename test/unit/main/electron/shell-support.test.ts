import { describe, expect, it } from 'vitest';
import { configPathFrom } from '../../../../src/main/electron/config-path.ts';
import { createSettingsStore, type Settings } from '../../../../src/main/electron/settings-store.ts';
import { describeStartupError, MissingConfigError } from '../../../../src/main/electron/startup-errors.ts';
import { ConfigError } from '../../../../src/main/services/config/index.ts';
import { KeyProtectionError } from '../../../../src/main/services/security/index.ts';

describe('configPathFrom', () => {
  it('takes --config <file> or --config=<file>, resolved against cwd', () => {
    expect(configPathFrom(['electron', '.', '--config', 'demo.yaml'], {}, '/work')).toBe('/work/demo.yaml');
    expect(configPathFrom(['huizhen', '--config=/etc/huizhen.yaml'], {}, '/work')).toBe('/etc/huizhen.yaml');
  });

  it('prefers the argument over HUIZHEN_CONFIG, and uses the variable otherwise', () => {
    expect(configPathFrom(['x', '--config', 'a.yaml'], { HUIZHEN_CONFIG: '/b.yaml' }, '/w')).toBe('/w/a.yaml');
    expect(configPathFrom(['x'], { HUIZHEN_CONFIG: '/b.yaml' }, '/w')).toBe('/b.yaml');
  });

  it("has no default: no demo hospital is started behind the user's back", () => {
    expect(configPathFrom(['x'], {}, '/w')).toBeUndefined();
    expect(configPathFrom(['x', '--config'], { HUIZHEN_CONFIG: ' ' }, '/w')).toBeUndefined();
    expect(configPathFrom(['x', '--config', '--inspect'], {}, '/w')).toBeUndefined();
  });
});

describe('the settings store', () => {
  const memory = (initial: unknown) => {
    const backing = { value: initial, read: () => backing.value, write: (s: Settings) => void (backing.value = s) };
    return backing;
  };

  it('falls back to defaults when the file does not fit the schema', () => {
    expect(createSettingsStore(memory({ language: 'klingon', windowBounds: 'huge' })).get()).toEqual({ language: 'zh-CN' });
    expect(createSettingsStore(memory(undefined)).get()).toEqual({ language: 'zh-CN' });
  });

  it('validates updates before writing them', () => {
    const backing = memory({});
    const store = createSettingsStore(backing);
    store.update({ windowBounds: { x: 1, y: 2, width: 1200, height: 800 } });
    expect(backing.value).toEqual({ language: 'zh-CN', windowBounds: { x: 1, y: 2, width: 1200, height: 800 } });
    expect(() => store.update({ windowBounds: { x: 0, y: 0, width: 10, height: 10 } })).toThrow();
    expect(() => store.update({ language: 'fr' as 'en' })).toThrow();
  });
});

describe('describeStartupError', () => {
  it('explains a missing configuration with the ways to give one', () => {
    const text = describeStartupError(new MissingConfigError());
    expect(text.message).toMatch(/--config/);
    expect(text.message).toMatch(/HUIZHEN_CONFIG/);
  });

  it('explains key store problems by their code', () => {
    const text = describeStartupError(new KeyProtectionError('insecure-backend', 'safeStorage:basic_text', 'no keyring'));
    expect(text.title).toMatch(/key store/);
    expect(text.message).toMatch(/No OS keyring/);
    expect(text.message).toMatch(/basic_text/);
    expect(describeStartupError(new KeyProtectionError('unprotect-failed', 'safeStorage:kwallet5', 'x')).message).toMatch(
      /key store changed/,
    );
  });

  it('shows configuration problems as the config loader phrased them', () => {
    const text = describeStartupError(new ConfigError('/etc/huizhen.yaml', ['sources[0].baseUrl: must be an absolute URL']));
    expect(text.title).toMatch(/configuration/);
    expect(text.message).toContain('sources[0].baseUrl');
  });

  it('still says something useful for anything else', () => {
    expect(describeStartupError(new Error('EADDRINUSE')).message).toMatch(/EADDRINUSE/);
    expect(describeStartupError('weird').message).toMatch(/weird/);
  });
});
