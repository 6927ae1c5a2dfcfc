import { describe, expect, it } from 'vitest';
import { type ApiHandlers, ApiRequestError, dispatchApiCall } from '../../../../../src/main/services/api/index.ts';

const handlers = {
  confirmLink: async () => {
    throw new ApiRequestError('"x" is not a configured source');
  },
  closePatient: async () => {
    throw new Error('/home/someone/secret path in a stack');
  },
  listSources: async () => ({ sources: [] }),
} as unknown as ApiHandlers;

describe('dispatchApiCall', () => {
  it("a request the handler refuses is a 400 with the handler's message for the user", async () => {
    const result = await dispatchApiCall(handlers, 'confirmLink', {
      a: { sourceId: 'x', sourcePatientId: '1' },
      b: { sourceId: 'y', sourcePatientId: '2' },
    });
    expect(result).toEqual({
      ok: false,
      status: 400,
      error: { code: 'invalid-request', message: 'confirmLink: "x" is not a configured source' },
    });
  });

  it('an internal failure is a 500 that reveals nothing of the error', async () => {
    const seen: unknown[] = [];
    const result = await dispatchApiCall(handlers, 'closePatient', { viewId: 'o1' }, (_m, e) => seen.push(e));
    expect(result).toEqual({
      ok: false,
      status: 500,
      error: { code: 'internal', message: 'closePatient failed; see the workstation log' },
    });
    expect(seen).toHaveLength(1);
  });

  it('unknown methods and invalid payloads never reach a handler', async () => {
    expect(await dispatchApiCall(handlers, 'dropTables', {})).toMatchObject({ ok: false, status: 404 });
    expect(await dispatchApiCall(handlers, 'listSources', { extra: 1 })).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'invalid-request' },
    });
  });
});
