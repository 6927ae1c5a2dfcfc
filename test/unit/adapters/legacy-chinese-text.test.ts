/** Telling GBK sent as "UTF-8" from UTF-8 with a slip: only the first is re-read as GB18030. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { gb18030Instead } from '../../../src/adapters/legacy-chinese-text.ts';
import { slippedButValidGb18030 } from '../../support/gb18030-slip.ts';

const TEXT = '患者张伟，男，56岁。主诉：反复咳嗽咳痰10年，加重伴气促3天。';

describe('gb18030Instead', () => {
  it('re-reads GBK bytes as GB18030', () => {
    expect(gb18030Instead(new Uint8Array(iconv.encode(TEXT, 'gbk')))).toBe(TEXT);
  });

  it('leaves valid UTF-8 alone', () => {
    expect(gb18030Instead(new TextEncoder().encode(TEXT))).toBeUndefined();
  });

  it('leaves UTF-8 with one corrupt byte alone, though its bytes are valid GB18030 mojibake', () => {
    const bytes = slippedButValidGb18030('<r>患者张伟主诉反复咳嗽咳痰</r>');
    expect(gb18030Instead(bytes)).toBeUndefined();
  });

  it('leaves bytes that are neither', () => {
    expect(gb18030Instead(new Uint8Array([0x3c, 0x72, 0x3e, 0x81, 0x20, 0x3c, 0x2f, 0x72, 0x3e]))).toBeUndefined();
  });
});
