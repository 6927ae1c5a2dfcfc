// The package ships no typings; these cover the calls Huizhen makes.
declare module '@lhncbc/ucum-lhc' {
  interface ConversionResult {
    status: 'succeeded' | 'failed' | 'error';
    toVal: number | null;
    msg: string[];
  }
  interface ValidationResult {
    status: 'valid' | 'invalid' | 'error';
    msg: string[];
  }
  interface UcumLhcUtils {
    convertUnitTo(fromUnit: string, value: number, toUnit: string, options?: { molecularWeight?: number }): ConversionResult;
    validateUnitString(unit: string): ValidationResult;
  }
  const ucum: { UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
