/**
 * MLLP (Minimal Lower Layer Protocol) framing: <VT> message <FS><CR>. The decoder is a byte
 * state machine, so it yields the same frames however TCP splits or merges the stream, and
 * skips whatever arrives between frames (keep-alive bytes, stray CR/LF from vendors).
 */
export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_TRAILER = 0x0d;

export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export function frameMllp(payload: Uint8Array): Uint8Array {
  const framed = new Uint8Array(payload.length + 3);
  framed[0] = MLLP_START;
  framed.set(payload, 1);
  framed[payload.length + 1] = MLLP_END;
  framed[payload.length + 2] = MLLP_TRAILER;
  return framed;
}

export interface MllpDecoderOptions {
  /** A frame growing past this is dropped and reported (default 16 MiB). */
  maxFrameBytes?: number;
  /** Told when a frame was dropped for size; the decoder then skips to the next start byte. */
  onOversizedFrame?: (bytes: number) => void;
}

type State = 'between' | 'inside' | 'after-end';

export class MllpDecoder {
  #state: State = 'between';
  #parts: Uint8Array[] = [];
  #size = 0;
  readonly #max: number;
  readonly #onOversized: ((bytes: number) => void) | undefined;

  constructor(options: MllpDecoderOptions = {}) {
    this.#max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#onOversized = options.onOversizedFrame;
  }

  /** Bytes held for a frame not yet complete. */
  get pendingBytes(): number {
    return this.#size;
  }

  /** Feeds one chunk; returns the payloads of the frames it completed, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'after-end') {
        if (chunk[i] === MLLP_TRAILER) i++;
        this.#state = 'between';
        continue;
      }
      if (this.#state === 'between') {
        const start = chunk.indexOf(MLLP_START, i);
        if (start < 0) break;
        this.#startFrame();
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(MLLP_END, i);
      const restart = chunk.indexOf(MLLP_START, i);
      if (restart >= 0 && (end < 0 || restart < end)) {
        // A new start byte before the end: the sender gave up on the previous frame.
        this.#startFrame();
        i = restart + 1;
        continue;
      }
      const stop = end < 0 ? chunk.length : end;
      if (!this.#append(chunk.subarray(i, stop))) {
        i = stop;
        continue;
      }
      if (end < 0) break;
      frames.push(this.#takeFrame());
      this.#state = 'after-end';
      i = end + 1;
    }
    return frames;
  }

  reset(): void {
    this.#state = 'between';
    this.#parts = [];
    this.#size = 0;
  }

  #startFrame(): void {
    this.#state = 'inside';
    this.#parts = [];
    this.#size = 0;
  }

  #append(part: Uint8Array): boolean {
    if (part.length === 0) return true;
    this.#size += part.length;
    if (this.#size > this.#max) {
      const size = this.#size;
      this.reset();
      this.#onOversized?.(size);
      return false;
    }
    // Copied: a caller may reuse its read buffer once push returns.
    this.#parts.push(part.slice());
    return true;
  }

  #takeFrame(): Uint8Array {
    const frame = new Uint8Array(this.#size);
    let offset = 0;
    for (const part of this.#parts) {
      frame.set(part, offset);
      offset += part.length;
    }
    this.#parts = [];
    this.#size = 0;
    return frame;
  }
}
