import { createHash } from 'node:crypto';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { CacheStore } from '../services/cache/index.ts';
import {
  AcknowledgementSchema,
  createClinicalAlerts,
  openAcknowledgementStore,
  type Acknowledgement,
  type ClinicalAlerts,
} from '../services/clinical-alerts/index.ts';
import { putWorkstationRecord, readWorkstationRecords, type WorkstationRecordKind } from '../services/identity/index.ts';

const ACKNOWLEDGEMENTS: WorkstationRecordKind<Acknowledgement> = { kind: 'critical-acknowledgement', schema: AcknowledgementSchema };

/**
 * Critical values and risk rules, with acknowledgements kept in the encrypted cache (one
 * workstation record per system record acknowledged, so they hold across restarts); without a
 * cache, for this run only.
 */
export async function openClinicalAlerts(
  config: HuizhenConfig,
  cache: CacheStore | undefined,
  log: (line: string) => void,
): Promise<ClinicalAlerts> {
  const acknowledgements = await openAcknowledgementStore(
    cache
      ? {
          load: () =>
            readWorkstationRecords(cache, ACKNOWLEDGEMENTS, (error) =>
              log(`clinical alerts: an acknowledgement could not be read: ${error.message}`),
            ),
          save: (a) =>
            putWorkstationRecord(cache, ACKNOWLEDGEMENTS, createHash('sha256').update(a.key).digest('hex').slice(0, 32), a, a.at),
        }
      : undefined,
  );
  return createClinicalAlerts(config.clinicalAlerts, acknowledgements);
}
