import { describe, expect, it } from 'vitest';
import { rereadInTurn } from '../../../../../src/renderer/features/worklist/use-worklist.ts';

describe('the worklist re-reads in turn', () => {
  it('one read at a time and at most one waiting, however many signals arrive while it runs', async () => {
    let reads = 0;
    const pending: (() => void)[] = [];
    const reread = rereadInTurn(() => {
      reads += 1;
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    for (let i = 0; i < 50; i++) reread();
    expect(reads).toBe(1);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(2);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(reads).toBe(2);
    reread();
    expect(reads).toBe(3);
  });

  it('a failed read does not stop the next', async () => {
    let reads = 0;
    const reread = rereadInTurn(async () => {
      reads += 1;
      throw new Error('offline');
    });
    reread();
    await new Promise((r) => setTimeout(r, 0));
    reread();
    expect(reads).toBe(2);
  });
});
