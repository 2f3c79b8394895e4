/** Small statistics helpers: every figure the bench reports is a median or a percentile. */

/** Nearest-rank percentile (p in 0..100) of an unsorted sample; NaN for an empty sample. */
export const percentile = (xs: readonly number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
};

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

export const summarize = (xs: readonly number[]): Summary => ({
  n: xs.length,
  p50: round(median(xs)),
  p99: round(percentile(xs, 99)),
  min: round(xs.length ? Math.min(...xs) : Number.NaN),
  max: round(xs.length ? Math.max(...xs) : Number.NaN),
});

export const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export const ratio = (a: number, b: number): number => round(a / b, 3);

export const shuffle = <T>(xs: readonly T[]): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `count` tasks with at most `concurrency` in flight; stops starting new ones after `deadline` (epoch ms). */
export const pool = async (count: number, concurrency: number, task: (i: number) => Promise<void>, deadline = Infinity): Promise<number> => {
  let next = 0;
  let started = 0;
  const worker = async () => {
    for (;;) {
      if (next >= count || Date.now() > deadline) return;
      const i = next++;
      started += 1;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return started;
};
