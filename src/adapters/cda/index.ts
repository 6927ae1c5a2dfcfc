export { CdaError, isCdaError, type CdaErrorKind } from '../xml/index.ts';
export {
  convertCdaDocument,
  convertCdaToBundle,
  conversionToBundle,
  CDA_CONTENT_TYPE,
  type CdaConversion,
  type CdaConvertOptions,
  type ConvertedResource,
} from './convert-cda.ts';
export { narrativeToHtml, safeHref } from './narrative-html.ts';
export { parseXml } from '../xml/index.ts';
