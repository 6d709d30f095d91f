/** Test support: the seeded PRNG, re-exported under its old path for the specs. */
export { mulberry32 } from '../seeded-random';
