/**
 * A small seeded PRNG (mulberry32). Checks draw their inputs from fixed seeds so that every run is
 * identical, yet the values are not something a learner can hard-code from reading one failure.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** `n` distinct integers in [min, max], in random order. */
  distinct(n: number, min: number, max: number): number[];
  /** A copy of `items` in a random order. */
  shuffle<T>(items: readonly T[]): T[];
  /** One item of `items`. */
  pick<T>(items: readonly T[]): T;
}

export function seeded(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return {
    next,
    int,
    shuffle,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() needs at least one item');
      return items[int(0, items.length - 1)]!;
    },
    distinct: (n, min, max) => {
      if (max - min + 1 < n) throw new RangeError(`cannot draw ${n} distinct integers from [${min}, ${max}]`);
      const seen = new Set<number>();
      while (seen.size < n) seen.add(int(min, max));
      return shuffle([...seen]);
    },
  };
}

/** The fixed seeds checks iterate over unless they need their own. Frozen: a module that trimmed it would shrink every check's inputs. */
export const SEEDS: readonly number[] = Object.freeze([7, 42, 1234, 98765]);
