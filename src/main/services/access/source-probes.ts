import type { SourceProbeView } from '../../../shared/api/contract.ts';
import type { CoreBackend } from '../api/index.ts';

type Probe = Awaited<ReturnType<CoreBackend['probeSources']>>[number];

/**
 * A probe as the administrator's system view receives it: codes and numbers, worded by the
 * renderer. Healthy means what `huizhen sources check` means by ok: reachable is not enough, a 404
 * or an HTML page where the endpoint should be is a failure, and so is a refused sign-in.
 */
export function toProbeView({ source, result, error }: Probe): SourceProbeView {
  const view: SourceProbeView = {
    sourceId: source.id,
    name: source.name,
    kind: source.kind,
    ok: result?.reachable === true && result.authOk !== false && result.problem === undefined,
    reachable: result?.reachable === true,
  };
  if (result) {
    view.latencyMs = Math.max(0, Math.round(result.latencyMs));
    if (result.protocolVersion) view.protocolVersion = result.protocolVersion;
    if (result.authOk !== undefined) view.authOk = result.authOk;
    if (result.problem) view.problem = result.problem;
    if (result.status !== undefined) view.httpStatus = result.status;
  }
  if (error) view.errorCode = error.code;
  return view;
}

/** The probe's free text (a server banner, an exception) belongs in main's log, not on screen. */
export function probeLogLine({ source, result, error }: Probe): string {
  return `sources check: ${source.id}: ${result ? `reachable=${result.reachable}${result.problem ? ` problem=${result.problem}` : ''}${result.detail ? ` — ${result.detail}` : ''}` : `${error?.code}: ${error?.message}`}`;
}
