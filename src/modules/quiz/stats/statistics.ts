/** Plain descriptive statistics, pure. */

export const mean = (values: readonly number[]) =>
  values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Pearson's correlation of two equally long series; null when either does not vary (it is undefined then). */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const mx = mean(xs);
  const my = mean(ys);
  if (mx === null || my === null || xs.length < 2) return null;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  return vx === 0 || vy === 0 ? null : cov / Math.sqrt(vx * vy);
}

/** `buckets` equal bins over [0, top]; the last one includes `top`. */
export function histogram(values: readonly number[], top: number, buckets = 10) {
  const width = top > 0 ? top / buckets : 1;
  const bins = Array.from({ length: buckets }, (_, i) => ({
    from: round(i * width),
    to: round((i + 1) * width),
    count: 0,
  }));
  for (const value of values) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor(value / width)));
    (bins[index] as { count: number }).count += 1;
  }
  return bins;
}

export const round = (value: number, decimals = 4) => Math.round(value * 10 ** decimals) / 10 ** decimals;
export const roundOrNull = (value: number | null) => (value === null ? null : round(value));
