import { describe, expect, it } from 'vitest';
import { CONSOLE_TABS } from '../../../../../src/renderer/features/admin-console/console-tabs.tsx';

describe('console tabs', () => {
  it('are the five sections in order, each with its own id', () => {
    expect(CONSOLE_TABS.map((t) => t.id)).toEqual(['sources', 'quality', 'mapping', 'audit', 'configuration']);
  });
});
