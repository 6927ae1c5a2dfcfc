import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../src/adapters/http/listen-on-loopback.ts';
import { createHl7v3Adapter } from '../../src/adapters/hl7v3/index.ts';
import {
  DEMO_PLATFORM_PATIENT,
  PLATFORM_SOURCE_ID,
  platformSourceConfig,
  startPlatformSoap,
  type PlatformSoap,
} from '../../src/demo-hospital/platform-soap/index.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { parseConfig } from '../../src/main/services/config/load-config.ts';
import { createWorkstation, type Workstation } from '../../src/main/composition/index.ts';
import { Hl7v3SourceConfigSchema } from '../../src/shared/config/sources/hl7v3.ts';

/**
 * A platform's error answer reaches the source status with the platform's own words, whichever
 * way the platform writes its acknowledgement — never as an empty "no patient found".
 */
let platform: PlatformSoap;
let workstation: Workstation;

beforeAll(async () => {
  platform = await startPlatformSoap(generateSyntheticHospital());
  const source = {
    ...platformSourceConfig(platform.url, '1.2'),
    resilience: { timeoutMs: 10_000, retries: 0, circuitBreaker: { failureThreshold: 100, resetMs: 1000 } },
  };
  workstation = await createWorkstation(parseConfig({ sources: [source] }));
});
afterAll(async () => {
  await workstation.close();
  await platform.stop();
});
afterEach(() => platform.faults.reset());

const STYLES = [
  { label: 'attribute typeCode, text@value (互联互通 style)', style: 'attribute' as const, bare: false },
  { label: 'element typeCode, text content (normative ITS)', style: 'element' as const, bare: false },
  { label: 'a bare MCCI_IN000002UV01 instead of the response', style: 'attribute' as const, bare: true },
];

describe.each(STYLES)('demo platform answers AE as $label', ({ style, bare }) => {
  it('search: the source status is failed with the platform text, not an empty result', async () => {
    platform.faults.set({ acknowledgement: { typeCode: 'AE', text: '患者主索引服务异常：数据库连接超时', style, bare } });
    const { candidates, sources } = await workstation.handlers.searchPatients({ query: '张伟' });
    expect(candidates).toEqual([]);
    const status = sources.find((s) => s.sourceId === PLATFORM_SOURCE_ID);
    expect(status).toMatchObject({ state: 'failed', error: { code: 'server-error' } });
    // The platform's own words stay in the adapter (they may quote the query back): the status carries the code and the call.
    expect(status?.error?.message).not.toContain('患者主索引服务异常');
    expect(status?.error?.endpoint).toMatch(/^PDQv3 PRPA_IN\d{6}UV\d{2}$/);
  });

  it('open: AR is a refused request with its text in the status', async () => {
    platform.faults.set({ acknowledgement: { typeCode: 'AR', text: '发送方设备未注册', style, bare } });
    const result = await workstation.handlers.openPatient({
      refs: [{ sourceId: PLATFORM_SOURCE_ID, sourcePatientId: DEMO_PLATFORM_PATIENT.extension }],
    });
    expect(result.entries).toEqual([]);
    expect(result.sources[0]).toMatchObject({
      state: 'failed',
      error: { code: 'bad-request' },
    });
    expect(JSON.stringify(result.sources)).not.toContain('发送方设备未注册');
  });
});

describe('demo platform healthy again', () => {
  it('finds the patient once the fault is cleared', async () => {
    const { candidates, sources } = await workstation.handlers.searchPatients({ query: '张伟' });
    expect(candidates.length).toBeGreaterThan(0);
    expect(sources.find((s) => s.sourceId === PLATFORM_SOURCE_ID)?.state).toMatch(/ok|slow/);
  });
});

describe('an ESB that answers with a string instead of an HL7 v3 message', () => {
  it('shows the string in the error, as a protocol failure', async () => {
    const esb = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' });
      res.end(
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><HIPMessageServerResponse xmlns="http://goodwillcis.com">' +
          '<HIPMessageServerResult>调用失败：服务 PRPA_IN201305UV02 未注册</HIPMessageServerResult></HIPMessageServerResponse></s:Body></s:Envelope>',
      );
    });
    const port = await listenOnLoopback(esb, 0);
    try {
      const adapter = createHl7v3Adapter(
        Hl7v3SourceConfigSchema.parse({
          ...platformSourceConfig(`http://127.0.0.1:${port}/esb`),
          resilience: { timeoutMs: 3000, retries: 0 },
        }),
      );
      await expect(adapter.searchPatients({ text: '张伟' }, { signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({
        code: 'protocol',
        message: expect.stringContaining(
          'expected PRPA_IN201306UV02 but got <HIPMessageServerResponse>: 调用失败：服务 PRPA_IN201305UV02 未注册',
        ),
      });
    } finally {
      await new Promise<void>((resolve) => esb.close(() => resolve()));
    }
  });
});
