/** One metric and its current samples, in Prometheus' data model. */
export type MetricFamily = Readonly<{
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: readonly Readonly<{ labels?: Readonly<Record<string, string>>; value: number }>[];
}>;

/** Produces metrics at scrape time, so nothing is kept up to date in between. */
export type MetricsCollector = () => Promise<readonly MetricFamily[]> | readonly MetricFamily[];

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

const escapeHelp = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const formatValue = (value: number): string =>
  Number.isNaN(value)
    ? 'NaN'
    : Number.isFinite(value)
      ? String(value)
      : value > 0
        ? '+Inf'
        : '-Inf';

/** The Prometheus text exposition format (version 0.0.4). */
export const renderMetrics = (families: readonly MetricFamily[]): string =>
  families
    .map((family) => {
      const lines = [
        `# HELP ${family.name} ${escapeHelp(family.help)}`,
        `# TYPE ${family.name} ${family.type}`,
      ];
      for (const sample of family.samples) {
        const labels = Object.entries(sample.labels ?? {});
        const labelText =
          labels.length === 0
            ? ''
            : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
        lines.push(`${family.name}${labelText} ${formatValue(sample.value)}`);
      }
      return `${lines.join('\n')}\n`;
    })
    .join('');

/** A small registry: modules add collectors, GET /metrics renders them all. */
export class MetricsRegistry {
  private readonly collectors: MetricsCollector[] = [];

  register(collector: MetricsCollector): void {
    this.collectors.push(collector);
  }

  async render(): Promise<string> {
    const families = await Promise.all(this.collectors.map((collect) => collect()));
    return renderMetrics(families.flat());
  }
}

/** What every process reports about itself. */
export const processMetrics: MetricsCollector = () => {
  const memory = process.memoryUsage();
  return [
    {
      name: 'process_uptime_seconds',
      help: 'Seconds since the process started.',
      type: 'gauge',
      samples: [{ value: process.uptime() }],
    },
    {
      name: 'process_resident_memory_bytes',
      help: 'Resident memory size in bytes.',
      type: 'gauge',
      samples: [{ value: memory.rss }],
    },
    {
      name: 'nodejs_heap_used_bytes',
      help: 'V8 heap in use, in bytes.',
      type: 'gauge',
      samples: [{ value: memory.heapUsed }],
    },
  ];
};
