/**
 * A WS/T 500 检验/检查 result organizer (WS/T 500.6/.7 检查报告, 检验报告) holds the item (检验项目代码
 * DE04.30.019.00, 检查/检验项目名称 DE04.30.020.00), its result flag (检验结果代码 DE04.30.017.00) and
 * the quantitative result (DE04.30.015.00) side by side: the result is named by its item, not by
 * the generic "检验定量结果" label.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { attr, child, readCd, textOf } from '../../xml/index.ts';
import { isDataElementCode } from './data-elements.ts';

const ITEM_CODE = 'DE04.30.019.00';
const ITEM_NAME = 'DE04.30.020.00';
const RESULT_FLAG = 'DE04.30.017.00';

export interface LabItem {
  /** The item's code (CD) and/or name (text). */
  code?: CodeableConcept;
  /** When the item was tested (the item element's effectiveTime). */
  effectiveTime?: Element;
  /** 检验结果代码 (正常/异常 …) as sent. */
  flag?: CodeableConcept;
}

function de(el: Element): string | undefined {
  const code = child(el, 'code');
  const value = attr(code, 'code');
  return value && isDataElementCode(attr(code, 'codeSystem')) ? value : undefined;
}

function concept(value: Element | undefined): CodeableConcept | undefined {
  return readCd(value) ?? (textOf(value) ? { text: textOf(value) ?? '' } : undefined);
}

/** The item an organizer's components describe, or undefined when they name none. */
export function readLabItem(components: readonly Element[]): LabItem | undefined {
  const byCode = new Map(components.map((c) => [de(c), c] as const));
  const codeEl = byCode.get(ITEM_CODE);
  const nameEl = byCode.get(ITEM_NAME);
  if (!codeEl && !nameEl) return undefined;
  const coded = concept(child(codeEl, 'value'));
  const name = textOf(child(nameEl, 'value'));
  // An item code sent as text (ST) is a code, not a name: it becomes a coding without a system.
  const codings = coded?.coding ?? (coded?.text && name ? [{ code: coded.text }] : []);
  const text = name ?? coded?.text;
  const flag = concept(child(byCode.get(RESULT_FLAG), 'value'));
  const when = child(codeEl ?? nameEl, 'effectiveTime');
  return {
    ...(codings.length > 0 || text ? { code: { ...(codings.length > 0 ? { coding: codings } : {}), ...(text ? { text } : {}) } } : {}),
    ...(when ? { effectiveTime: when } : {}),
    ...(flag ? { flag } : {}),
  };
}
