// The helpers course checks import as `async-lessons/harness`. They ship compiled in dist/harness so
// that checks can import them from any run directory, and as .d.ts so a learner's editor can read them.
export { seeded, SEEDS, type Rng } from './seeded.js';
