import { describe, expect, it } from 'vitest';
import { answerMatchesRoute } from '../../../../../src/main/services/dicomweb-proxy/answer-hierarchy.ts';
import type { ProxyRoute } from '../../../../../src/main/services/dicomweb-proxy/proxy-route.ts';

const route = (kind: ProxyRoute['kind'], extra: Partial<ProxyRoute> = {}): ProxyRoute => ({
  sourceId: 'pacs',
  kind,
  studyUid: '1.2.3',
  resourcePath: '',
  query: '',
  ...extra,
});
const uid = (value: string) => ({ vr: 'UI', Value: [value] });

describe('answerMatchesRoute', () => {
  it('takes datasets of the study, series and instance asked for, and datasets that leave the attributes out', () => {
    expect(answerMatchesRoute(route('study-metadata'), [{ '0020000D': uid('1.2.3'), '0020000E': uid('9.9') }])).toBe(true);
    expect(answerMatchesRoute(route('series-metadata', { seriesUid: '1.2.3.4' }), [{ '0020000E': uid('1.2.3.4') }, {}])).toBe(true);
    expect(
      answerMatchesRoute(route('search-series'), [{ '0020000D': uid('1.2.3'), '0020000E': uid('7') }, { '0020000D': uid('1.2.3') }]),
    ).toBe(true);
  });

  it('refuses a dataset of another study, series or instance', () => {
    expect(answerMatchesRoute(route('study-metadata'), [{ '0020000D': uid('1.2.3') }, { '0020000D': uid('6.6') }])).toBe(false);
    expect(answerMatchesRoute(route('search-instances', { seriesUid: '1.2.3.4' }), [{ '0020000E': uid('1.2.3.5') }])).toBe(false);
    expect(
      answerMatchesRoute(route('instance-metadata', { seriesUid: '1.2.3.4', instanceUid: '1.2.3.4.5' }), [
        { '00080018': uid('1.2.3.4.6') },
      ]),
    ).toBe(false);
  });
});
