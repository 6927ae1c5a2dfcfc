import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PiecedAnswer } from '../../../../../src/main/services/dicomweb-proxy/cached-answer.ts';
import { createKeptAnswers } from '../../../../../src/main/services/dicomweb-proxy/kept-answers.ts';

const answer = (n: number): PiecedAnswer => ({
  contentType: 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1',
  pieces: [new Uint8Array([n])],
  fetchedAt: '2026-12-07T00:00:00.000Z',
  form: 'served',
});

describe('kept answers', () => {
  let streams = 0;
  const streaming = (delta: 1 | -1) => (streams += delta);
  beforeEach(() => {
    vi.useFakeTimers();
    streams = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('hands each answer out once', () => {
    const kept = createKeptAnswers(streaming);
    kept.keep('a', answer(1));
    expect(kept.take('a')?.pieces).toEqual([new Uint8Array([1])]);
    expect(kept.take('a')).toBeUndefined();
    expect(kept.take('never kept')).toBeUndefined();
  });

  it('holds the writes behind while answers wait to be handed out, and lets go once all are', () => {
    const kept = createKeptAnswers(streaming);
    kept.keep('a', answer(1));
    kept.keep('b', answer(2));
    expect(streams).toBe(1);
    kept.take('a');
    expect(streams).toBe(1);
    kept.take('b');
    expect(streams).toBe(0);
  });

  it('lets go when nothing was asked for a second (a thumbnail taken from a series), and after the copies are stored', () => {
    const kept = createKeptAnswers(streaming);
    kept.keep('a', answer(1));
    kept.keep('b', answer(2));
    vi.advanceTimersByTime(999);
    expect(streams).toBe(1);
    vi.advanceTimersByTime(1);
    expect(streams).toBe(0);
    kept.take('a');
    expect(streams).toBe(1);
    kept.stored('b');
    expect(streams).toBe(0);
    expect(kept.take('b')).toBeUndefined();
  });
});
