// The API answers a denial with 403, so the error is the API's; access throws it.
export { AccessDeniedError, type AccessDenial } from '../api/index.ts';
