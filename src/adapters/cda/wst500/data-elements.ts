/**
 * What a WS/T 500 entry's data element (卫生信息数据元目录, code system 2.16.156.10011.2.2.1, codes
 * `DEcc.cc.ccc.cc`) is, decided by its identifier — never by where it sits in the document. Every
 * WS/T 500 part (the 53 共享文档规范 documents) codes its entries with these WS 363 identifiers; the
 * same code means the same thing in every document and section.
 *
 * Classes:
 * - diagnosis-name / diagnosis-code / diagnosis-rank: the parts of one diagnosis (→ Condition)
 * - measurement: a finding a timeline can trend (→ Observation), with its LOINC equivalent and the
 *   unit the data element's definition fixes (WS 363 gives the unit in the element's 数据元值的数据类型/表示格式)
 * - drug: one attribute of a drug order or use (→ MedicationRequest / MedicationStatement dosage)
 * - order: one attribute of a 医嘱 (order) item
 * - finding: descriptive text (主诉, 现病史, 检查结果描述 …): it stays in the document's narrative
 * - administrative: flags, identifiers, fees, counts and dates of the stay: never a patient fact
 * Anything not in the table is read by its WS 363 part (the `DEcc.cc` class, table PART below):
 * numbers of the examination and laboratory parts are measurements, the rest stays in the
 * narrative: an unknown element is shown, not guessed at.
 */
import type { Coding } from '@medplum/fhirtypes';

/** 卫生信息数据元目录 (WS 363 data elements as WS/T 500 codes them). */
export const DATA_ELEMENT_CATALOGUE_OID = '2.16.156.10011.2.2.1';
/** Some platforms write the data-element codes under sibling OIDs of the catalogue (…2.2.2, …2.2.4). */
const CATALOGUE_FAMILY = '2.16.156.10011.2.2.';

export type DrugAttribute =
  | 'name'
  | 'frequency'
  | 'route'
  | 'dose'
  | 'dose-unit'
  | 'total-dose'
  | 'form'
  | 'strength'
  | 'usage'
  | 'herbal-prescription'
  | 'herbal-doses'
  | 'decoction'
  | 'duration-days';

export type OrderAttribute = 'content' | 'item-type';

export type DataElementClass =
  | { kind: 'diagnosis-name'; scheme: 'western' | 'tcm' }
  | { kind: 'diagnosis-code'; scheme: 'western' | 'tcm' }
  | { kind: 'diagnosis-rank' }
  | {
      kind: 'measurement';
      category: 'vital-signs' | 'laboratory' | 'exam';
      loinc?: Coding;
      ucum?: string;
      /** Read by its WS 363 part: only a numeric value (PQ/REAL/INT) is a measurement; text stays narrative. */
      numericOnly?: boolean;
    }
  | { kind: 'result-unit' }
  | { kind: 'drug'; attribute: DrugAttribute }
  | { kind: 'order'; attribute: OrderAttribute }
  | { kind: 'finding' }
  | { kind: 'administrative' };

const LOINC = 'http://loinc.org';
const loinc = (code: string, display: string): Coding => ({ system: LOINC, code, display });
const vital = (code: string, display: string, ucum: string): DataElementClass => ({
  kind: 'measurement',
  category: 'vital-signs',
  loinc: loinc(code, display),
  ucum,
});
const drug = (attribute: DrugAttribute): DataElementClass => ({ kind: 'drug', attribute });
const ADMIN: DataElementClass = { kind: 'administrative' };

/**
 * The elements WS/T 500 documents use for diagnoses, measurements, drugs and orders, and the
 * administrative ones the issue names. Sources: WS 363.4/.7/.9/.10/.12/.13/.16/.17-2011 (the
 * catalogue part each DE class belongs to) and the entry tables of WS/T 500.4 (西药处方),
 * .5 (中药处方), .32 (住院病案首页), .34 (入院记录), .49 (出院记录), .52 (住院医嘱), .53 (出院小结).
 */
const TABLE: Readonly<Record<string, DataElementClass>> = {
  // WS 363.10 医学诊断 — WS/T 500.34/.49/.53 诊断条目, .32 出院诊断
  'DE05.01.024.00': { kind: 'diagnosis-code', scheme: 'western' }, // 疾病诊断编码 (ICD-10)
  'DE05.01.025.00': { kind: 'diagnosis-name', scheme: 'western' }, // 疾病诊断名称
  'DE05.01.021.00': { kind: 'diagnosis-code', scheme: 'western' }, // 死亡诊断/根本死因编码
  'DE05.01.078.00': { kind: 'diagnosis-code', scheme: 'western' }, // 损伤中毒的外部原因-疾病编码
  'DE05.01.080.00': { kind: 'diagnosis-rank' }, // 诊断顺位
  // WS 363.11 医学评估 — 中医病名/证候 (GB/T 15657)
  'DE05.10.130.00': { kind: 'diagnosis-code', scheme: 'tcm' }, // 中医病名代码 / 中医证候代码
  'DE05.10.172.00': { kind: 'diagnosis-name', scheme: 'tcm' }, // 中医病名名称 / 中医证候名称
  // WS 363.7 体格检查 — WS/T 500 生命体征章节 (8716-3)
  'DE04.10.186.00': vital('8310-5', 'Body temperature', 'Cel'), // 体温(℃)
  'DE04.10.118.00': vital('8867-4', 'Heart rate', '/min'), // 脉率(次/min)
  'DE04.10.206.00': vital('8867-4', 'Heart rate', '/min'), // 心率(次/min)
  'DE04.10.081.00': vital('9279-1', 'Respiratory rate', '/min'), // 呼吸频率(次/min)
  'DE04.10.082.00': vital('9279-1', 'Respiratory rate', '/min'), // 呼吸频率(次/min), older edition
  'DE04.10.174.00': vital('8480-6', 'Systolic blood pressure', 'mm[Hg]'), // 收缩压(mmHg)
  'DE04.10.176.00': vital('8462-4', 'Diastolic blood pressure', 'mm[Hg]'), // 舒张压(mmHg)
  'DE04.10.167.00': vital('8302-2', 'Body height', 'cm'), // 身高(cm)
  'DE04.10.188.00': vital('29463-7', 'Body weight', 'kg'), // 体重(kg)
  'DE04.10.019.00': vital('29463-7', 'Body weight', 'g'), // 新生儿出生/入院体重(g)
  'DE04.50.149.00': vital('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%'), // 血氧饱和度(%)
  // WS 363.8/.9 临床辅助检查 / 实验室检查 — WS/T 500.7 检验报告
  'DE04.30.015.00': { kind: 'measurement', category: 'laboratory' }, // 检查/检验定量结果
  'DE04.30.016.00': { kind: 'result-unit' }, // 检查/检验定量结果计量单位
  'DE04.50.102.00': { kind: 'measurement', category: 'laboratory', ucum: 'mmol/L' }, // 血糖检测值(mmol/L)
  'DE04.50.001.00': { kind: 'measurement', category: 'laboratory', loinc: loinc('883-9', 'ABO group [Type] in Blood') }, // ABO血型代码
  'DE04.50.010.00': { kind: 'measurement', category: 'laboratory', loinc: loinc('10331-7', 'Rh [Type] in Blood') }, // Rh(D)血型代码
  // WS 363.16 药品、设备与材料 and WS 363.12 计划与干预 — WS/T 500.4/.5 用药条目
  'DE08.50.022.00': drug('name'), // 药物名称
  'DE06.00.133.00': drug('frequency'), // 药物使用频率
  'DE06.00.134.00': drug('route'), // 药物使用途径代码
  'DE08.50.023.00': drug('dose'), // 药物使用次剂量
  'DE08.50.024.00': drug('dose-unit'), // 药物使用剂量单位
  'DE06.00.135.00': drug('total-dose'), // 药物使用总剂量
  'DE08.50.011.00': drug('form'), // 药物剂型代码
  'DE08.50.043.00': drug('strength'), // 药物规格
  'DE06.00.136.00': drug('usage'), // 药物用法 / 中药用药方法
  'DE08.50.049.00': drug('herbal-prescription'), // 中药饮片处方
  'DE08.50.050.00': drug('herbal-doses'), // 中药饮片剂数
  'DE08.50.047.00': drug('decoction'), // 中药饮片煎煮法
  'DE06.00.164.00': ADMIN, // 中药使用类别代码: a statistics flag, not a dosage
  // WS 363.12 计划与干预 — WS/T 500.52 住院医嘱
  'DE06.00.288.00': { kind: 'order', attribute: 'content' }, // 医嘱项目内容
  'DE06.00.289.00': { kind: 'order', attribute: 'item-type' }, // 医嘱项目类型
  // Administrative: the items the issue names and their kin (WS 363.12/.13/.16/.17)
  'DE06.00.294.00': ADMIN, // 处方有效天数
  'DE08.50.056.00': ADMIN, // 处方药品组号
  'DE08.50.032.00': ADMIN, // 处方类别代码
  'DE06.00.179.00': ADMIN, // 处方/医嘱备注信息
  'DE06.00.196.00': ADMIN, // 初诊标志代码
  'DE06.00.223.00': ADMIN, // 离院方式
  'DE06.00.339.00': ADMIN, // 入院途径代码
  'DE06.00.092.00': ADMIN, // 入院日期时间
  'DE06.00.017.00': ADMIN, // 出院日期时间
  'DE06.00.310.00': ADMIN, // 实际住院天数
  'DE02.10.090.00': ADMIN, // 住院次数
  'DE06.00.194.00': ADMIN, // 出院31天内再住院标志
  'DE06.00.286.00': ADMIN, // 医嘱类别 (长期/临时)
  'DE06.00.290.00': ADMIN, // 医嘱执行状态
  'DE06.00.211.00': ADMIN, // 护理等级代码
  'DE09.00.104.00': ADMIN, // 入院病情代码 (a coding-quality item of the 病案首页)
  'DE07.00.004.00': ADMIN, // 处方药品金额 / 门诊费用金额
};

/**
 * WS 363-2011 parts by data-element class (WS 363.1 总则, table of parts): what an element not in
 * TABLE is. Examination and laboratory parts give measurements when the value is a number (a
 * 腹围 in cm is one, a 胸部检查结果 text is not); administrative parts never become a resource;
 * everything else is a finding of the narrative.
 */
const PART: readonly (readonly [prefix: string, cls: DataElementClass])[] = [
  ['DE04.10.', { kind: 'measurement', category: 'exam', numericOnly: true }], // WS 363.7 体格检查: 腹围, 身长, 宫底高度 …
  ['DE04.30.', { kind: 'measurement', category: 'exam', numericOnly: true }], // WS 363.8 临床辅助检查
  ['DE04.50.', { kind: 'measurement', category: 'laboratory', numericOnly: true }], // WS 363.9 实验室检查
  ['DE01.', ADMIN], // WS 363.2 标识
  ['DE02.01.', ADMIN], // WS 363.3 人口学及社会经济学特征 (read from the header, not entries)
  ['DE07.', ADMIN], // WS 363.13 卫生费用
  ['DE08.10.', ADMIN], // WS 363.14 卫生机构
  ['DE08.30.', ADMIN], // WS 363.15 卫生人员
  ['DE09.', ADMIN], // WS 363.17 卫生管理
];

/**
 * True for codes of the data-element catalogue and its sibling catalogues (…2.2.4 住院病案首页基本数据集
 * codes its fee items HDSD00.11.*, per WS 445): all of them name a data element, not a finding code.
 */
export function isDataElementCode(codeSystem: string | undefined): boolean {
  return codeSystem !== undefined && (codeSystem === DATA_ELEMENT_CATALOGUE_OID || codeSystem.startsWith(CATALOGUE_FAMILY));
}

/** The class of a data element; codes outside the table fall back to their WS 363 part, else 'finding'. */
export function classifyDataElement(code: string): DataElementClass {
  const known = TABLE[code];
  if (known) return known;
  for (const [prefix, cls] of PART) if (code.startsWith(prefix)) return cls;
  return { kind: 'finding' };
}
