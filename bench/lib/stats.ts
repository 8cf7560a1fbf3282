/** Latency summary in milliseconds, from every recorded sample (no histogram rounding). */
export type LatencySummary = Readonly<{
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}>;

/** Collects samples in a growable typed array: millions of them cost a few MB, not GC churn. */
export class Samples {
  private values = new Float64Array(1 << 14);
  private size = 0;

  add(value: number): void {
    if (this.size === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.size++] = value;
  }

  get count(): number {
    return this.size;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.size).sort();
    const at = (q: number): number =>
      sorted.length === 0
        ? NaN
        : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN);
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: sorted.length,
      mean: round(sum / Math.max(1, sorted.length)),
      p50: round(at(0.5)),
      p95: round(at(0.95)),
      p99: round(at(0.99)),
      max: round(sorted[sorted.length - 1] ?? NaN),
    };
  }
}

export const round = (value: number, digits = 2): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
