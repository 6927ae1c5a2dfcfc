// The evaluation set draws from the demo hospital's seeded PRNG: the same numbers on every machine for a seed.
export { createPrng, type Prng } from '../../src/demo-hospital/synthetic/prng.ts';
