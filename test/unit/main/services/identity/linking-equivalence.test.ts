import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linkingDigests, type LinkingDigests } from './linking-digest.ts';

const expected = JSON.parse(readFileSync(new URL('./fixtures/linking-digests.json', import.meta.url), 'utf8')) as LinkingDigests;

describe('identity linking gives the same answers as before its speed work', () => {
  it('pairs, scores, explanations, clusters and candidates of a 2,000-record labelled set', () => {
    expect(linkingDigests()).toEqual(expected);
  }, 60_000);
});
