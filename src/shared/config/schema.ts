import { z } from 'zod';
import { AccessConfigSchema } from './access.ts';
import { AuditConfigSchema } from './audit.ts';
import { AuthConfigSchema } from './auth.ts';
import { CacheConfigSchema } from './cache.ts';
import { PrivacyConfigSchema } from './privacy.ts';
import { ClinicalAlertsConfigSchema } from './clinical-alerts.ts';
import { InboundHl7ConfigSchema } from './inbound-hl7.ts';
import { MappingsConfigSchema } from './mappings.ts';
import { BrokerConfigSchema } from './broker.ts';
import { PrefetchConfigSchema } from './prefetch.ts';
import { ImagingConfigSchema } from './imaging.ts';
import { DicomwebSourceConfigSchema } from './sources/dicomweb.ts';
import { FhirSourceConfigSchema } from './sources/fhir.ts';
import { Hl7v2SourceConfigSchema } from './sources/hl7v2.ts';
import { Hl7v3SourceConfigSchema } from './sources/hl7v3.ts';

export * from './sources/common.ts';
export * from './sources/fhir.ts';
export * from './sources/dicomweb.ts';
export * from './sources/hl7v2.ts';
export * from './sources/hl7v3.ts';
export * from './cache.ts';
export * from './inbound-hl7.ts';
export * from './broker.ts';
export * from './prefetch.ts';
export * from './imaging.ts';
export * from './access.ts';
export * from './call-limits.ts';
export * from './audit.ts';
export * from './auth.ts';
export * from './privacy.ts';
export * from './clinical-alerts.ts';
export * from './mappings.ts';

/** One schema per protocol (src/shared/config/sources/<kind>.ts), told apart by `kind`. */
export const SourceConfigSchema = z.discriminatedUnion('kind', [
  FhirSourceConfigSchema,
  Hl7v2SourceConfigSchema,
  Hl7v3SourceConfigSchema,
  DicomwebSourceConfigSchema,
]);
export type SourceConfig = z.infer<typeof SourceConfigSchema>;

export const HuizhenConfigSchema = z
  .object({
    /** Human label for this workstation's hospital, shown in the title bar and audit events. */
    hospital: z.string().min(1).max(200).default('Huizhen'),
    sources: z
      .array(SourceConfigSchema)
      .min(1, 'configure at least one hospital system under "sources"')
      .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'source ids must be unique'),
    /** Absent: no cache (nothing is kept on this workstation; no reading during outages). */
    cache: CacheConfigSchema.optional(),
    /** Listen for ADT/ORU pushes from a HIS/LIS over MLLP (needs the cache: pushes are stored there). */
    inboundHl7: InboundHl7ConfigSchema.optional(),
    /** Subscribe to ADT/result events on the hospital's message broker (needs the cache). */
    broker: BrokerConfigSchema.optional(),
    /** Fetch these patients ahead into the cache (needs the cache). */
    prefetch: PrefetchConfigSchema.optional(),
    /**
     * Sign-in: the hospital's OpenID Connect provider and/or local accounts. Without any, no one
     * can sign in and the workstation shows no patient data (the CLI's offline commands still work).
     */
    auth: AuthConfigSchema.prefault({}),
    /** Who may read which patient: care window, break-the-glass duration, scopes per role. */
    access: AccessConfigSchema.prefault({}),
    /** The tamper-evident audit log and its forwarding to the hospital's audit repository. */
    audit: AuditConfigSchema.prefault({}),
    /** Masking (privacy mode, roles) and de-identified exports. */
    privacy: PrivacyConfigSchema.prefault({}),
    /** Critical values (危急值): limits per LOINC; medication risk rules (用药风险) as FHIRPath. */
    clinicalAlerts: ClinicalAlertsConfigSchema.prefault({}),
    /** The image viewer: which layout opening a study of each modality shows. */
    imaging: ImagingConfigSchema.prefault({}),
    /** Local lab codes → LOINC and unit spellings → UCUM, over the built-in tables. */
    mappings: MappingsConfigSchema.prefault({}),
  })
  .strict();
export type HuizhenConfig = z.infer<typeof HuizhenConfigSchema>;
export type HuizhenConfigInput = z.input<typeof HuizhenConfigSchema>;
