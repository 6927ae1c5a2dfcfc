export { securityHeaders, withSecurityHeaders } from './content-security-policy.ts';
export { KeyProtectionError, type KeyProtector } from './key-protector.ts';
