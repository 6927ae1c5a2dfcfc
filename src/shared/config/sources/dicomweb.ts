import { z } from 'zod';
import { BasicAuthSchema, BearerAuthSchema, HttpUrlSchema, SourceCommonFields } from './common.ts';

export const DicomwebAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  BasicAuthSchema,
  BearerAuthSchema,
]);
export type DicomwebAuth = z.infer<typeof DicomwebAuthSchema>;

export const DicomwebSourceConfigSchema = z
  .object({
    ...SourceCommonFields,
    kind: z.literal('dicomweb'),
    /** The DICOMweb root that QIDO-RS and WADO-RS paths hang off, e.g. https://pacs.example/dicom-web. */
    baseUrl: HttpUrlSchema,
    /** IssuerOfPatientID (0010,0021) of this PACS's PatientIDs; sent with every PatientID query when set. */
    issuerOfPatientId: z.string().min(1).max(64).optional(),
    /** UTC offset of StudyDate/StudyTime when images carry no TimezoneOffsetFromUTC, e.g. "+08:00" (default: this workstation's). */
    timezoneOffset: z
      .string()
      .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'use ±hh:mm, e.g. "+08:00"')
      .optional(),
    auth: DicomwebAuthSchema.default({ type: 'none' }),
  })
  .strict();
export type DicomwebSourceConfig = z.infer<typeof DicomwebSourceConfigSchema>;
export type DicomwebSourceConfigInput = z.input<typeof DicomwebSourceConfigSchema>;
