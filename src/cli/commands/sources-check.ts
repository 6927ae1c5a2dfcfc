import { createWorkstation } from '../../main/services/workstation/create-workstation.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { EXIT } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/** `huizhen sources check`: can this workstation reach and talk to each configured system? */
export async function sourcesCheck(config: HuizhenConfig, io: CliIo, json: boolean): Promise<number> {
  const workstation = await createWorkstation(config);
  try {
    const probes = await workstation.probeSources();
    const healthy = (p: (typeof probes)[number]) => p.result?.reachable === true && p.result.authOk !== false;
    if (json) {
      io.out(JSON.stringify({ sources: probes.map((p) => ({ ...p, ok: healthy(p) })) }, null, 2));
    } else {
      for (const p of probes) {
        const head = `${healthy(p) ? 'ok  ' : 'FAIL'}  ${p.source.id} (${p.source.kind}) ${p.source.name}`;
        if (p.result) {
          const auth = p.result.authOk === undefined ? '' : p.result.authOk ? ', auth ok' : ', auth REFUSED';
          const version = p.result.protocolVersion ? `, ${p.result.protocolVersion}` : '';
          const detail = p.result.detail ? ` — ${p.result.detail}` : '';
          io.out(`${head}: ${p.result.reachable ? 'reachable' : 'unreachable'}, ${Math.round(p.result.latencyMs)} ms${version}${auth}${detail}`);
        } else {
          io.out(`${head}: ${p.error?.code}: ${p.error?.message}`);
        }
      }
    }
    return probes.every(healthy) ? EXIT.ok : EXIT.sourcesFailed;
  } finally {
    await workstation.close();
  }
}
