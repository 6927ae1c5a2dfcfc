/**
 * Answers obtained before they were asked for (frames cut from a whole-series retrieve), held in
 * memory until their copy is written behind. Each is handed out once; a second request for it
 * reads the cache like a streamed frame asked again.
 *
 * While kept answers are being handed out the viewer is still reading the series, so the writes
 * behind wait, as they do while frames stream (sealing 105 MB on the same two cores would slow
 * the frames it is waiting for). The hold ends once every kept answer was handed out or stored,
 * or when none was asked for IDLE_MS (a series the viewer only took a thumbnail from).
 */
import type { PiecedAnswer } from './cached-answer.ts';

const IDLE_MS = 1000;

export interface KeptAnswers {
  keep(name: string, answer: PiecedAnswer): void;
  /** The answer, once; undefined when none is kept or it was handed out already. */
  take(name: string): PiecedAnswer | undefined;
  /** Its copy is stored: forget it. */
  stored(name: string): void;
}

export function createKeptAnswers(streaming: (delta: 1 | -1) => void): KeptAnswers {
  const answers = new Map<string, PiecedAnswer>();
  let holding = false;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function release(): void {
    clearTimeout(idle);
    if (holding) streaming(-1);
    holding = false;
  }

  function changed(): void {
    if (answers.size === 0) return release();
    clearTimeout(idle);
    if (!holding) streaming(1);
    holding = true;
    idle = setTimeout(release, IDLE_MS);
    idle.unref?.();
  }

  return {
    keep(name, answer) {
      answers.set(name, answer);
      changed();
    },
    take(name) {
      const answer = answers.get(name);
      if (!answer) return undefined;
      answers.delete(name);
      changed();
      return answer;
    },
    stored(name) {
      if (answers.delete(name)) changed();
    },
  };
}
