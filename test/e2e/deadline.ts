/** A wait in the e2e harness that ran out: `what` names what it waited for, so a stuck run says where it stuck. */
export class E2eDeadlineError extends Error {
  readonly what: string;
  readonly ms: number;
  constructor(what: string, ms: number) {
    super(`gave up after ${ms} ms waiting for ${what}`);
    this.name = 'E2eDeadlineError';
    this.what = what;
    this.ms = ms;
  }
}

/** Resolves as `work` does, or rejects with E2eDeadlineError after `ms` (the work itself is left to finish or not). */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new E2eDeadlineError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
