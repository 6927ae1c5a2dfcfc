/**
 * Leading- and trailing-edge throttle: the first value goes out at once, later ones at most
 * every `intervalMs`, always the latest. `cancel` drops a pending one.
 */
export function throttle<T>(intervalMs: number, send: (value: T) => void): { push: (value: T) => void; cancel: () => void } {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: { value: T } | undefined;
  const flush = () => {
    timer = undefined;
    if (!latest) return;
    const { value } = latest;
    latest = undefined;
    last = performance.now();
    send(value);
  };
  return {
    push(value) {
      latest = { value };
      if (timer) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      latest = undefined;
    },
  };
}
