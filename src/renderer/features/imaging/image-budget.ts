/**
 * How much decoded image memory the viewer lets Cornerstone keep: enough for every stack on
 * screen to stay decoded whole, within bounds. A fixed 128 MB held one 200-slice 512² CT
 * (105 MB) but not that CT beside its 120-slice prior (168 MB): in 1×2 the least recently used
 * slices were evicted while both stacks prefetched, and the linked scroll then fetched and
 * decoded them again on every step (docs/benchmarks.md, issue 18).
 */
import { TAGS, integer, type Dataset } from './dicom-json.ts';

const SAMPLES_PER_PIXEL = '00280002';
const BITS_ALLOCATED = '00280100';

/** Never less than this: one large CT fits, as before. */
export const MIN_IMAGE_CACHE_BYTES = 128 * 1024 * 1024;
/**
 * Never more: the renderer has 600 MB in all (issue 18), a large record's timeline included; the
 * app's process peaked at 480–510 MB with the CT and its prior decoded (docs/benchmarks.md). A 2×2
 * of large series beyond this scrolls with evictions rather than costing the workstation memory.
 */
export const MAX_IMAGE_CACHE_BYTES = 224 * 1024 * 1024;

/**
 * Decoded bytes of one stack, estimated from its metadata: rows × columns × samples × whole bytes
 * per stored sample, per frame. Cornerstone may widen scaled pixels (a fractional rescale slope
 * gives Float32); the cache then holds fewer frames than counted, as it did before.
 */
export function stackBytes(datasets: readonly Dataset[]): number {
  let total = 0;
  for (const d of datasets) {
    const rows = integer(d, TAGS.Rows) ?? 0;
    const columns = integer(d, TAGS.Columns) ?? 0;
    const samples = integer(d, SAMPLES_PER_PIXEL) ?? 1;
    const bytes = Math.ceil((integer(d, BITS_ALLOCATED) ?? 16) / 8);
    const frames = integer(d, TAGS.NumberOfFrames) ?? 1;
    total += rows * columns * samples * bytes * frames;
  }
  return total;
}

/** The cache size for the stacks on screen now: their sum with a little headroom, within the bounds above. */
export function imageCacheBudget(stacks: readonly number[]): number {
  const wanted = Math.ceil(stacks.reduce((sum, bytes) => sum + bytes, 0) * 1.05);
  return Math.min(MAX_IMAGE_CACHE_BYTES, Math.max(MIN_IMAGE_CACHE_BYTES, wanted));
}
