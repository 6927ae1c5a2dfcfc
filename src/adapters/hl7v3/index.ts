export { createHl7v3Adapter, type Hl7v3AdapterOptions } from './hl7v3-adapter.ts';
export { convertHl7v3ToBundle } from './convert-hl7v3.ts';
export { Hl7v3MessageError, isHl7v3MessageError, type Hl7v3MessageErrorCode } from './hl7v3-message-error.ts';
export { criteriaFromText, buildPdqQuery, PDQ_QUERY_ACTION, PDQ_RESPONSE_ACTION, type PdqCriteria } from './pdq-query.ts';
export { readPdqResponse, type PdqResponse } from './pdq-response.ts';
export { DOCUMENT_QUERY, DOCUMENT_RETRIEVE } from './document-messages.ts';
