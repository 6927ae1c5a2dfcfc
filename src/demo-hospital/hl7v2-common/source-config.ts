import type { z } from 'zod';
import type { Hl7v2SourceConfigSchema } from '../../shared/config/sources/hl7v2.ts';

/** A source entry as written in a config file, before defaults are applied. */
export type Hl7v2SourceConfigInput = z.input<typeof Hl7v2SourceConfigSchema>;
