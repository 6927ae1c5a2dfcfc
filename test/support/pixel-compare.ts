/**
 * Pearson correlation between what the viewer decoded or drew and a reference decode
 * (test/support/pixel-reference.py). Correlation ignores linear scaling, so stored values,
 * rescaled values and a linear display window all compare alike; an inverted picture gives a
 * negative figure and swapped or mis-converted colour channels a low one.
 */

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  // Two flat pictures agree only when equal up to scale; one flat and one not cannot correlate.
  if (aa === 0 || bb === 0) return aa === bb ? 1 : 0;
  return ab / Math.sqrt(aa * bb);
}

/** Channel `c` of an interleaved buffer with `stride` values per pixel, at the given pixel indices (all when omitted). */
export function channel(values: ArrayLike<number>, stride: number, c: number, indices?: readonly number[]): Float64Array {
  const count = indices ? indices.length : Math.floor(values.length / stride);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = values[(indices ? indices[i]! : i) * stride + c]!;
  return out;
}

/** The worst channel's correlation: colour is right only when every channel is. */
export function worstChannel(
  actual: ArrayLike<number>,
  actualStride: number,
  reference: ArrayLike<number>,
  referenceStride: number,
  channels: number,
  indices?: readonly number[],
  sign = 1,
): number {
  let worst = 1;
  for (let c = 0; c < channels; c++) {
    const ref = channel(reference, referenceStride, c, indices);
    if (sign < 0) for (let i = 0; i < ref.length; i++) ref[i] = -ref[i]!;
    // The drawn samples are already gathered at `indices`; only the reference needs picking.
    worst = Math.min(worst, pearson(channel(actual, actualStride, c), ref));
  }
  return worst;
}
