/**
 * Seeded pseudo-random numbers for the firm generator.
 *
 * Written here rather than taken from a package because the generator's promise is byte-identical
 * output for a seed: the algorithm must never change under us with a dependency upgrade, and sfc32
 * (a 128-bit-state generator from PractRand's suite) is twenty lines. Streams are forked by label,
 * so adding draws to one part of the firm never shifts the numbers of another part.
 */
export interface Random {
  /** A float in [0, 1). Used for choices only, never for money. */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element chosen by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A new independent stream derived from this one's seed and the labels. */
  fork(...labels: (string | number)[]): Random;
}

export function createRandom(seed: number, ...labels: (string | number)[]): Random {
  const root = seed >>> 0;
  const key = labels.length === 0 ? root : hashLabels(root, labels);
  return fromState(root, labels, splitmix32(key));
}

function fromState(root: number, labels: (string | number)[], nextSeed: () => number): Random {
  let a = nextSeed();
  let b = nextSeed();
  let c = nextSeed();
  let d = nextSeed();
  const nextUint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const out = (t + d) | 0;
    c = (c + out) | 0;
    return out >>> 0;
  };
  // Warm-up: sfc32's first outputs correlate with nearby seeds.
  for (let i = 0; i < 12; i++) nextUint32();

  const random: Random = {
    next: () => nextUint32() / 4294967296,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
        throw new RangeError(`bad integer range [${min}, ${max}]`);
      }
      return min + Math.floor(random.next() * (max - min + 1));
    },
    chance: (probability) => random.next() < probability,
    pick(items) {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(random.next() * items.length)] as (typeof items)[number];
    },
    weighted(items) {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let draw = random.next() * total;
      for (const [item, weight] of items) {
        draw -= weight;
        if (draw < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    fork: (...more) => createRandom(root, ...labels, ...more),
  };
  return random;
}

/** splitmix32: spreads one 32-bit seed over the four words of sfc32's state. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the seed and labels, so a fork's stream depends on its whole path. */
function hashLabels(seed: number, labels: (string | number)[]): number {
  let hash = 0x811c9dc5 ^ seed;
  const text = labels.map(String).join('\u0000');
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= seed;
  hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return hash >>> 0;
}
