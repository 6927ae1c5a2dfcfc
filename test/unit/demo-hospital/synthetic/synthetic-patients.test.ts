import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { DEMO_PATIENT, CDR_MRN_SYSTEM } from '../../../../src/demo-hospital/synthetic/demo-patient.ts';
import {
  RESIDENT_ID_SYSTEM,
  buildResidentId,
  parseResidentId,
  residentIdCheckChar,
} from '../../../../src/demo-hospital/synthetic/resident-id.ts';
import { generateSyntheticHospital } from '../../../../src/demo-hospital/synthetic/synthetic-hospital.ts';

const patientsOf = (seed: number): Patient[] =>
  generateSyntheticHospital({ seed }).resources.filter((r): r is Patient => r.resourceType === 'Patient');

afterEach(() => vi.restoreAllMocks());

describe('synthetic hospital', () => {
  it('is deterministic for a seed and never touches Math.random', () => {
    const random = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const a = generateSyntheticHospital({ seed: 42 });
    const b = generateSyntheticHospital({ seed: 42 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(random).not.toHaveBeenCalled();
    const c = generateSyntheticHospital({ seed: 43 });
    expect(JSON.stringify(c.resources)).not.toBe(JSON.stringify(a.resources));
  });

  it('has at least 8 patients, mostly Chinese with pinyin, plus 2 English-named ones', () => {
    const patients = patientsOf(7);
    expect(patients.length).toBeGreaterThanOrEqual(8);
    const chinese = patients.filter((p) => /[\u4e00-\u9fff]/.test(p.name?.[0]?.text ?? ''));
    const english = patients.filter((p) => /^[A-Za-z]+ [A-Za-z]+$/.test(p.name?.[0]?.text ?? ''));
    expect(english).toHaveLength(2);
    expect(chinese.length).toBeGreaterThan(patients.length / 2);
    for (const p of chinese) {
      expect(p.name?.[1]?.text).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    }
    for (const p of patients) {
      expect(p.identifier?.find((i) => i.system === CDR_MRN_SYSTEM)?.value).toMatch(/^CDR-\d{6}$/);
    }
  });

  it('always contains the well-known demo patient 张伟', () => {
    for (const seed of [1, 99, 20250630]) {
      const zhang = patientsOf(seed).find((p) => p.id === DEMO_PATIENT.fhirId);
      expect(zhang?.name?.[0]?.text).toBe('张伟');
      expect(zhang?.name?.[1]?.text).toBe('Zhang Wei');
      expect(zhang?.gender).toBe('male');
      expect(zhang?.birthDate).toBe('1968-03-12');
      expect(zhang?.identifier?.find((i) => i.system === CDR_MRN_SYSTEM)?.value).toBe('CDR-000001');
      expect(zhang?.identifier?.find((i) => i.system === RESIDENT_ID_SYSTEM)?.value).toBe(DEMO_PATIENT.residentId);
    }
  });

  it('gives every Chinese patient a valid 身份证 consistent with birth date and sex', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const p of patientsOf(seed)) {
        const id = p.identifier?.find((i) => i.system === RESIDENT_ID_SYSTEM)?.value;
        if (!id) continue;
        expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(residentIdCheckChar(id.slice(0, 17))).toBe(id[17]);
        const parts = parseResidentId(id);
        expect(parts?.birthDate).toBe(p.birthDate);
        expect(parts?.gender).toBe(p.gender);
      }
    }
  });

  it('computes ISO 7064 MOD 11-2 check characters (GB 11643 example) and rejects bad numbers', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(parseResidentId('11010519491231002X')).toEqual({ areaCode: '110105', birthDate: '1949-12-31', gender: 'female' });
    expect(parseResidentId('110105194912310021')).toBeUndefined();
    expect(parseResidentId('110105194902300027')).toBeUndefined();
    const built = buildResidentId({ areaCode: '440106', birthDate: '2000-02-29', gender: 'male' }, 10);
    expect(parseResidentId(built)).toEqual({ areaCode: '440106', birthDate: '2000-02-29', gender: 'male' });
  });

  it('writes lab observations with LOINC, UCUM, reference ranges and matching flags', () => {
    const obs = generateSyntheticHospital({ seed: 5 }).resources.filter(
      (r): r is Observation => r.resourceType === 'Observation' && r.category?.[0]?.coding?.[0]?.code === 'laboratory',
    );
    const codes = new Set(obs.map((o) => o.code.coding?.[0]?.code));
    for (const loinc of ['2345-7', '4548-4', '2160-0', '2823-3', '718-7', '6690-2', '1742-6']) expect(codes).toContain(loinc);
    for (const o of obs) {
      expect(o.code.coding?.[0]?.system).toBe('http://loinc.org');
      expect(o.valueQuantity?.system).toBe('http://unitsofmeasure.org');
      const value = o.valueQuantity?.value as number;
      const low = o.referenceRange?.[0]?.low?.value as number;
      const high = o.referenceRange?.[0]?.high?.value as number;
      const flag = o.interpretation?.[0]?.coding?.[0]?.code;
      // A critical flag (the demo's 危急值, HH/LL) is the stronger form of H/L.
      expect(flag === 'HH' ? 'H' : flag === 'LL' ? 'L' : flag).toBe(value > high ? 'H' : value < low ? 'L' : 'N');
    }
  });

  it("charts the demo patient's inpatient stay only: vital-signs Observations, the BP panel by its components", () => {
    const vitals = generateSyntheticHospital({ seed: 5 }).resources.filter(
      (r): r is Observation => r.resourceType === 'Observation' && r.category?.[0]?.coding?.[0]?.code === 'vital-signs',
    );
    expect(vitals.length).toBeGreaterThan(20);
    expect(vitals.every((o) => o.subject?.reference === `Patient/${DEMO_PATIENT.fhirId}` && o.encounter?.reference)).toBe(true);
    const codes = new Set(vitals.map((o) => o.code.coding?.[0]?.code));
    for (const loinc of ['8310-5', '8867-4', '9279-1', '85354-9', '59408-5', '29463-7', '8302-2']) expect(codes).toContain(loinc);
    const bp = vitals.find((o) => o.code.coding?.[0]?.code === '85354-9');
    expect(bp?.valueQuantity).toBeUndefined();
    expect(bp?.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.code])).toEqual([
      ['8480-6', 'mm[Hg]'],
      ['8462-4', 'mm[Hg]'],
    ]);
  });

  it('adds benchmark observations to the demo patient only', () => {
    const plain = generateSyntheticHospital({ seed: 9 });
    const scaled = generateSyntheticHospital({ seed: 9, extraObservations: 500 });
    expect(scaled.resources.length - plain.resources.length).toBe(500);
    const others = (h: typeof plain) => JSON.stringify(h.resources.filter((r) => !(r.id ?? '').startsWith(`${DEMO_PATIENT.fhirId}-`)));
    expect(others(scaled)).toBe(others(plain));
  });
});
