/**
 * Unit spellings hospital systems write that are not UCUM, and the UCUM code each means. Data
 * only; every code here is checked against @lhncbc/ucum-lhc by test/unit/adapters/units/units.test.ts.
 * Keys are as `normalizeSpelling` leaves them: NFKC (℃ → °C, ² → 2, full-width → ASCII), no
 * whitespace, μ/µ → u.
 *
 * Sources: UCUM codes from the UCUM specification (https://ucum.org/ucum, tables of base,
 * derived and special units: Cel, mm[Hg], cm[H2O], [IU], [HPF], [LPF], {annotations}) and the
 * HL7/NLM "Common UCUM units" list (https://ucum.nlm.nih.gov/, e.g. /min for "beats per
 * minute", mL/min/{1.73_m2}); Chinese unit names from GB 3100-1993 / GB 3102 (法定计量单位:
 * 摩尔, 升, 克, 秒, 分, 小时, 天/日, and "每" for "per").
 */

/** Whole spellings → UCUM. Only where the spelling has one meaning in clinical data. */
export const SPELLINGS: Readonly<Record<string, string>> = {
  // Temperature
  '°C': 'Cel',
  摄氏度: 'Cel',
  '°F': '[degF]',
  degF: '[degF]',
  华氏度: '[degF]',
  // Pressure
  mmHg: 'mm[Hg]',
  'mm.Hg': 'mm[Hg]',
  毫米汞柱: 'mm[Hg]',
  cmH2O: 'cm[H2O]',
  厘米水柱: 'cm[H2O]',
  千帕: 'kPa',
  // Time. "分" alone is not here: in a score (Apgar, GCS) it means points, not minutes.
  天: 'd',
  日: 'd',
  day: 'd',
  days: 'd',
  小时: 'h',
  hr: 'h',
  hrs: 'h',
  分钟: 'min',
  mins: 'min',
  秒: 's',
  sec: 's',
  secs: 's',
  周: 'wk',
  week: 'wk',
  weeks: 'wk',
  月: 'mo',
  年: 'a',
  岁: 'a',
  yr: 'a',
  yrs: 'a',
  year: 'a',
  years: 'a',
  // Rates: a count per minute (heart and breathing rates) is /min in UCUM's common units.
  '次/分': '/min',
  '次/分钟': '/min',
  '次/min': '/min',
  次每分: '/min',
  '/分': '/min',
  '/分钟': '/min',
  bpm: '/min',
  'beats/min': '/min',
  'breaths/min': '/min',
  // Urine sediment: per high / low power field.
  '个/HP': '/[HPF]',
  '个/HPF': '/[HPF]',
  '/HP': '/[HPF]',
  '/HPF': '/[HPF]',
  '/hpf': '/[HPF]',
  HPF: '/[HPF]',
  '个/LP': '/[LPF]',
  '个/LPF': '/[LPF]',
  '/LP': '/[LPF]',
  '/LPF': '/[LPF]',
  '/lpf': '/[LPF]',
  // Thousands and millions per microlitre as US analysers print them: read as UCUM, "K" would
  // be kelvin and "M" metre.
  'K/uL': '10*3/uL',
  'K/ul': '10*3/uL',
  'K/mm3': '10*3/uL',
  'thou/uL': '10*3/uL',
  'thou/mm3': '10*3/uL',
  'M/uL': '10*6/uL',
  'M/ul': '10*6/uL',
  'mill/uL': '10*6/uL',
  'mill/mm3': '10*6/uL',
  // Counts per volume: "个" (pieces) and "cells" are a count, which UCUM writes as nothing.
  'cells/mm3': '/uL',
  'cells/hpf': '/[HPF]',
  'cells/HPF': '/[HPF]',
  'RBC/hpf': '/[HPF]',
  'WBC/hpf': '/[HPF]',
  '个/uL': '/uL',
  '个/ul': '/uL',
  '个/L': '/L',
  'cells/uL': '{cells}/uL',
  'cells/ul': '{cells}/uL',
  'copies/mL': '{copies}/mL',
  'copies/ml': '{copies}/mL',
  '拷贝/mL': '{copies}/mL',
  // Dimensionless results, which UCUM writes as annotations
  INR: '{INR}',
  ratio: '{ratio}',
  'S/CO': '{s_co_ratio}',
  COI: '{COI}',
  Index: '{index}',
  '‰': '[ppth]',
  // Arbitrary units: read as UCUM, "AU" would be the astronomical unit.
  'AU/mL': "[arb'U]/mL",
  'AU/ml': "[arb'U]/mL",
  'AU/L': "[arb'U]/L",
  // Body measures
  lb: '[lb_av]',
  lbs: '[lb_av]',
  in: '[in_i]',
  公斤: 'kg',
  千克: 'kg',
  克: 'g',
  厘米: 'cm',
  毫米: 'mm',
  米: 'm',
  'kg/m^2': 'kg/m2',
  'kg/平方米': 'kg/m2',
  // Sedimentation rate, eGFR, acidity, osmolality
  'mm/hr': 'mm/h',
  // Infusion rates in pharmacy orders (RXE-5, RXE-24).
  'mg/hr': 'mg/h',
  'mL/hr': 'mL/h',
  'ml/hr': 'mL/h',
  '毫米/小时': 'mm/h',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
  'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  'mL/min/1.73m^2': 'mL/min/{1.73_m2}',
  'ml/min/1.73m^2': 'mL/min/{1.73_m2}',
  pH: '[pH]',
  'mOsm/kg': 'mosm/kg',
  'mOsm/kgH2O': 'mosm/kg',
  'mOsm/L': 'mosm/L',
  '单位/升': 'U/L',
};

/**
 * Valid UCUM codes that a clinical system writing them never means: a single capital is
 * coulomb, farad, kelvin, gauss, poise, tesla, bel, roentgen, newton or ampere in UCUM, but in a
 * result it abbreviates something else (C for Celsius, F for Fahrenheit); "P/N" and "S/N" are
 * immunoassay ratios, not poise or siemens per newton. These stay text.
 */
export const MISLEADING: ReadonlySet<string> = new Set(['C', 'F', 'K', 'G', 'P', 'T', 'B', 'R', 'M', 'N', 'A', 'P/N', 'S/N', 'TU', 'Eh']);

/** Chinese names of amount and mass units (GB 3102.8) and of volumes, composed as "X/升" and "X每升". */
const CHINESE_NUMERATORS: Readonly<Record<string, string>> = {
  摩尔: 'mol',
  毫摩尔: 'mmol',
  微摩尔: 'umol',
  纳摩尔: 'nmol',
  皮摩尔: 'pmol',
  千克: 'kg',
  克: 'g',
  毫克: 'mg',
  微克: 'ug',
  纳克: 'ng',
  皮克: 'pg',
  单位: 'U',
  国际单位: '[IU]',
};
const CHINESE_VOLUMES: Readonly<Record<string, string>> = { 升: 'L', 分升: 'dL', 毫升: 'mL', 微升: 'uL' };

/** "X/升"-style spellings, made from the two tables above. */
export const CHINESE_CONCENTRATIONS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CHINESE_NUMERATORS).flatMap(([n, nCode]) =>
    Object.entries(CHINESE_VOLUMES).flatMap(([v, vCode]) => [
      [`${n}/${v}`, `${nCode}/${vCode}`],
      [`${n}每${v}`, `${nCode}/${vCode}`],
      [`${nCode}/${v}`, `${nCode}/${vCode}`],
    ]),
  ),
);

/**
 * UCUM codes laboratories print, looked up without regard to case: many LIS print units in
 * capitals ("MMOL/L", "G/L", "S"), and read case-sensitively several of those are other valid
 * UCUM units (G is gauss, S siemens, PG petagauss). In clinical results they mean these.
 */
export const LAB_CODES: readonly string[] = [
  'mol/L',
  'mmol/L',
  'umol/L',
  'nmol/L',
  'pmol/L',
  'g/L',
  'g/dL',
  'mg/L',
  'mg/dL',
  'ug/L',
  'ug/dL',
  'ug/mL',
  'ng/L',
  'ng/mL',
  'ng/dL',
  'pg/mL',
  'U/L',
  'U/mL',
  'kU/L',
  '[IU]/L',
  '[IU]/mL',
  'm[IU]/L',
  'm[IU]/mL',
  'u[IU]/mL',
  'meq/L',
  'mosm/kg',
  '10*9/L',
  '10*12/L',
  '10*6/L',
  '10*3/uL',
  '10*6/uL',
  '/uL',
  '/[HPF]',
  '/[LPF]',
  'mL',
  'L',
  'dL',
  'fL',
  'pg',
  'g',
  'mg',
  'kg',
  'cm',
  'mm',
  'mL/min',
  'mm/h',
  's',
  'min',
  'h',
  'd',
  '%',
  'mm[Hg]',
  'kPa',
  'Cel',
];
