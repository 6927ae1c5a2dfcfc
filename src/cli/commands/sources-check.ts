import type { ProbeResult } from '../../adapters/source-adapter.ts';
import { createWorkstation } from '../../main/composition/index.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { EXIT } from '../cli-error.ts';
import { probeHint } from '../format/probe-hint.ts';
import type { CliIo } from '../io.ts';

/** Reachable is not enough: a 404 or an HTML page where the endpoint should be is a failure. */
function healthy(result: ProbeResult | undefined): boolean {
  return result?.reachable === true && result.authOk !== false && result.problem === undefined;
}

/** `huizhen sources check`: can this workstation reach and talk to each configured system? */
export async function sourcesCheck(config: HuizhenConfig, io: CliIo, json: boolean): Promise<number> {
  const workstation = await createWorkstation(config);
  try {
    const probes = await workstation.probeSources();
    const sourceConfig = (id: string) => config.sources.find((s) => s.id === id);
    const hintOf = (p: (typeof probes)[number]): string | undefined => {
      const source = sourceConfig(p.source.id);
      return p.result?.problem && source ? probeHint(source, p.result.problem, p.result.status) : undefined;
    };
    if (json) {
      io.out(
        JSON.stringify(
          { sources: probes.map((p) => ({ ...p, ok: healthy(p.result), ...(hintOf(p) ? { hint: hintOf(p) } : {}) })) },
          null,
          2,
        ),
      );
    } else {
      for (const p of probes) {
        const head = `${healthy(p.result) ? 'ok  ' : 'FAIL'}  ${p.source.id} (${p.source.kind}) ${p.source.name}`;
        if (p.result) {
          const auth = p.result.authOk === undefined ? '' : p.result.authOk ? ', auth ok' : ', auth REFUSED';
          const version = p.result.protocolVersion ? `, ${p.result.protocolVersion}` : '';
          const detail = p.result.detail ? ` — ${p.result.detail}` : '';
          const reach = p.result.reachable ? (p.result.problem ? 'answered, but not usable' : 'reachable') : 'unreachable';
          io.out(`${head}: ${reach}, ${Math.round(p.result.latencyMs)} ms${version}${auth}${detail}`);
          const hint = hintOf(p);
          if (hint) io.out(`      hint: ${hint}`);
        } else {
          io.out(`${head}: ${p.error?.code}: ${p.error?.message}`);
        }
      }
    }
    return probes.every((p) => healthy(p.result)) ? EXIT.ok : EXIT.sourcesFailed;
  } finally {
    await workstation.close();
  }
}
