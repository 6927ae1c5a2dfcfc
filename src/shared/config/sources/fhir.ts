import { z } from 'zod';
import { BasicAuthSchema, BearerAuthSchema, CredentialRefSchema, exactlyOneOf, HttpUrlSchema, SourceCommonFields } from './common.ts';

/** A private JWK as SMART registration tools export it; jose checks the rest when importing. */
export const PrivateJwkSchema = z.object({ kty: z.enum(['RSA', 'EC']), d: z.string().min(1) }).loose();

/**
 * SMART Backend Services (client_credentials with a signed JWT assertion). The key is given
 * inline (PEM text or a JWK), as a file the workstation reads at start, or, best, as a reference
 * into the workstation's credential vault, so the config file itself holds no secret.
 */
export const SmartBackendAuthSchema = z
  .object({
    type: z.literal('smart-backend'),
    clientId: z.string().min(1).max(500),
    /** Token endpoint; when absent it is read from {baseUrl}/.well-known/smart-configuration. */
    tokenUrl: HttpUrlSchema.optional(),
    /** SMART v2 "system/*.rs"; v1 servers want "system/*.read". */
    scope: z.string().min(1).max(2000).default('system/*.rs'),
    privateKey: z
      .union([z.string().includes('PRIVATE KEY', { message: 'expected a PEM private key (PKCS#8)' }), PrivateJwkSchema])
      .optional(),
    privateKeyFile: z.string().min(1).optional(),
    /** The key (PEM or JWK JSON text) kept in the workstation's credential vault under this name. */
    privateKeyRef: CredentialRefSchema.optional(),
    /** The `kid` of the key in the JWKS registered with the server. */
    keyId: z.string().min(1).max(200),
    algorithm: z.enum(['RS384', 'ES384']).default('RS384'),
  })
  .strict()
  .refine((a) => exactlyOneOf(a, ['privateKey', 'privateKeyFile', 'privateKeyRef']), {
    message: 'give exactly one of privateKey (PEM or JWK), privateKeyFile and privateKeyRef (a credential-vault name)',
    path: ['privateKey'],
  });
export type SmartBackendAuth = z.infer<typeof SmartBackendAuthSchema>;

export const FhirAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  BasicAuthSchema,
  BearerAuthSchema,
  SmartBackendAuthSchema,
]);
export type FhirAuth = z.infer<typeof FhirAuthSchema>;

/**
 * How the worklist asks this CDR for a ward's inpatients. "encounter": the ward's Location by
 * identifier, then `Encounter?location=…&status=in-progress`. "location": the same, including the
 * ward's rooms and beds (Locations whose `partOf` leads to the ward): asked with
 * `location:below` when `locationBelow` says the server implements that modifier, else the
 * children are resolved by `Location?partof=…`. "group": the ward's Group (by identifier = the
 * ward code) lists its patients; their in-progress Encounters are then asked by subject.
 */
export const FhirCensusSchema = z
  .object({
    form: z.enum(['encounter', 'location', 'group']).default('encounter'),
    locationBelow: z.boolean().default(false),
  })
  .strict();
export type FhirCensus = z.infer<typeof FhirCensusSchema>;

export const FhirSourceConfigSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal('fhir'),
    baseUrl: HttpUrlSchema,
    auth: FhirAuthSchema.default({ type: 'none' }),
    /** Omitted: the "encounter" form. */
    census: FhirCensusSchema.optional(),
  })
  .strict();
export type FhirSourceConfig = z.infer<typeof FhirSourceConfigSchema>;
