import { describe, expect, it } from 'vitest';
import { translate } from '../../../../../src/renderer/i18n/catalogs.ts';
import { HUNG_AFTER_MS, saysStateInWords, sourceStateView } from '../../../../../src/renderer/features/sources/source-state-view.ts';
import type { SourceStatus } from '../../../../../src/shared/domain/source.ts';

const base: SourceStatus = { sourceId: 'lis', name: 'LIS', kind: 'hl7v2', state: 'idle' };
const since = Date.parse('2026-12-07T12:00:00.000Z');
const loading = (extra: Partial<SourceStatus> = {}): SourceStatus => ({
  ...base,
  state: 'loading',
  loadingSince: new Date(since).toISOString(),
  ...extra,
});

describe('what the status bar says about one source', () => {
  it('a call out for less than the slow threshold is loading', () => {
    expect(sourceStateView(loading(), since + HUNG_AFTER_MS - 1)).toEqual({ shown: 'loading' });
  });

  it('a call out past the slow threshold hangs, with the whole seconds waited — even after an older success', () => {
    const status = loading({ lastSuccessAt: new Date(since - 3_000).toISOString() });
    expect(sourceStateView(status, since + HUNG_AFTER_MS)).toEqual({ shown: 'hung', waitedSeconds: 2 });
    expect(sourceStateView(status, since + 12_900)).toEqual({ shown: 'hung', waitedSeconds: 12 });
  });

  it('worded in zh-CN and en: hung with the seconds waited, and "never asked" rather than idle', () => {
    expect(translate('zh-CN', 'sources.state.hung')).toBe('无应答');
    expect(translate('zh-CN', 'sources.waiting', { seconds: 12 })).toBe('已等待 12 秒');
    expect(translate('en', 'sources.state.hung')).toBe('Not answering');
    expect(translate('en', 'sources.waiting', { seconds: 12 })).toBe('waiting 12 s');
    expect(translate('zh-CN', 'sources.state.idle')).toBe('尚未查询');
    expect(translate('en', 'sources.state.idle')).toBe('Not asked yet');
  });

  it('every settled state is shown as it is, whatever the clock says', () => {
    for (const state of ['idle', 'ok', 'slow', 'failed', 'circuit-open', 'cached'] as const) {
      expect(sourceStateView({ ...base, state, loadingSince: new Date(since).toISOString() }, since + 60_000)).toEqual({ shown: state });
    }
  });

  it('a loading source without a start time (an older core) stays loading', () => {
    expect(sourceStateView({ ...base, state: 'loading' }, since)).toEqual({ shown: 'loading' });
  });
});

describe("the footer's compact chip", () => {
  it('says in words every state that needs the reader, not only by colour: failed, cut off, cached, slow, hung, loading', () => {
    for (const shown of ['failed', 'circuit-open', 'cached', 'slow', 'hung', 'loading'] as const)
      expect(saysStateInWords(shown), shown).toBe(true);
  });

  it('leaves a plain answer and a system not asked yet to the glyph (the words are still read out and in the details)', () => {
    expect(saysStateInWords('ok')).toBe(false);
    expect(saysStateInWords('idle')).toBe(false);
  });
});
