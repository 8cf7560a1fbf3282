import type { BenchOptions } from './lib/context';
import type { Machine } from './lib/machine';
import {
  ENCRYPTION_TARGET,
  encryptionTarget,
  notaryRows,
  notaryTarget,
  NOTARY_TARGET,
} from './notarySummary';
import { fmt, triple, type Row, type Target } from './lib/report';
import type { LoadResult } from './load/httpLoad';
import { NOTARY } from '../src/infrastructure/audit/notary';
import type { DialogListsSection } from './sections/dialogLists';
import {
  IMPORT_BUDGET_S,
  IMPORT_MESSAGES,
  type HistoryImportSection,
} from './sections/historyImport';
import type { FeatureCostsSection } from './sections/featureCosts';
import type { InboundSection } from './sections/inbound';
import type { ProjectionsSection } from './sections/projections';
import type { SearchSection } from './sections/search';
import type { WebhooksSection } from './sections/webhooks';

type Failed = Readonly<{ status: 'failed'; reason: string }>;

export type Results = Readonly<{
  version: 1;
  startedAt: string;
  finishedAt: string;
  git: Readonly<{ commit: string; dirty: boolean }>;
  machine: Machine;
  loadAverageAtEnd: readonly number[];
  durable: boolean;
  embedded: boolean;
  options: BenchOptions;
  sections: Partial<{
    inbound: InboundSection | Failed;
    projections: ProjectionsSection | Failed;
    search: SearchSection | Failed;
    dialogs: DialogListsSection | Failed;
    webhooks: WebhooksSection | Failed;
    import: HistoryImportSection | Failed;
    costs: FeatureCostsSection | Failed;
  }>;
  targets: readonly Target[];
}>;

const ok = <T extends { status: string }>(
  section: T | undefined,
): section is Extract<T, { status: 'ok' }> => section !== undefined && section.status === 'ok';

const missing = (name: string, section: { status: string; reason?: string } | undefined): Row[] =>
  section === undefined
    ? []
    : [{ section: name, metric: section.status, value: section.reason ?? '' }];

type Undelivered = WebhooksSection['steady']['undelivered'];
// results written before the figure was kept have none
const undeliveredCount = (u: Undelivered | undefined): number =>
  (u ?? []).reduce((n, x) => n + x.attempts, 0);
/** the commonest reason an attempt did not deliver, when any did not */
const undeliveredWhy = (w: WebhooksSection): string => {
  const all = [
    ...(w.drain.undelivered ?? []),
    ...(w.slowDrain.undelivered ?? []),
    ...(w.steady.undelivered ?? []),
  ];
  const top = [...all].sort((a, b) => b.attempts - a.attempts)[0];
  return top === undefined
    ? ''
    : ` (most: ${top.outcome} ${top.statusCode ?? ''} ${top.error ?? ''})`;
};

/** Parley / PostgreSQL / load of a section's CPU per request; results written before had none */
const requestCpu = (cpu: Readonly<Record<string, number | null>> | undefined): string =>
  cpu === undefined ? 'not measured' : cpuTriple(cpu.parley, cpu.postgres, cpu.load);

const kindStatements = (inbound: Results['sections']['inbound'], kind: string): number | null =>
  (ok(inbound) ? inbound.statementsPerKind : null)?.find((k) => k.kind === kind)?.writePath ?? null;
const SEARCH_TARGET = 'contact search p95 (ms)';
/** issue 17 */
const IMPORT_TARGET = `history import, ${IMPORT_MESSAGES.toLocaleString('en-US')} messages (s)`;
/** issue 16: every consumer of one Parley at the head */
const CATCH_UP_TARGET = 'catch-up, every projection and the outbox at once (events/s)';
/** issue 16: the webhook outbox's own arrival at the head, in that same catch-up */
const OUTBOX_CATCH_UP_TARGET = 'catch-up of the webhook outbox (events/s)';
const OUTBOX = 'webhook_outbox';
/** issue 16: 30 ms at 100,000 contacts, 60 ms at 1,000,000 */
const searchBudgetMs = (contacts: number): number => (contacts > 100_000 ? 60 : 30);

/** CPU per message at full load (issue 15): what a message may cost each process */
const PARLEY_CPU_TARGET = 'Parley CPU ms per message at full load';
const POSTGRES_CPU_TARGET = 'PostgreSQL CPU ms per message at full load';
const HALF_P99_TARGET = 'p99 at half load (ms)';
const FULL_LAG_TARGET = 'projection lag at full load p99 (ms)';
const HALF_LAG_TARGET = 'projection lag at half load p99 (ms)';

/**
 * The design targets on a 2-core machine (issues 7, 15 and 16); null when the figure was not
 * measured.
 */
export const targetsOf = (r: Results): Target[] => {
  const { inbound, projections, search, dialogs, webhooks, import: history, costs } = r.sections;
  // the costs section's more rounds, when it ran; the inbound section's otherwise
  const costsOf = ok(costs) ? costs : ok(inbound) ? inbound : undefined;
  const target = (
    name: string,
    text: string,
    value: number | null,
    met: (v: number) => boolean,
  ): Target => ({
    name,
    target: text,
    value,
    met: value === null ? null : met(value),
  });
  return [
    target(
      'inbound / INSERT baseline',
      '≥ 0.35',
      ok(inbound) ? inbound.ratio : null,
      (v) => v >= 0.35,
    ),
    target(
      'statements per existing message, warm',
      '1',
      kindStatements(inbound, 'existing'),
      (v) => v <= 1,
    ),
    target(
      'statements per existing message with a key',
      '≤ 2',
      kindStatements(inbound, 'idempotent'),
      (v) => v <= 2,
    ),
    target(
      PARLEY_CPU_TARGET,
      '≤ 0.5',
      (ok(inbound) ? inbound.full.cpuMsPerMessage.parley : null) ?? null,
      (v) => v <= 0.5,
    ),
    target(
      POSTGRES_CPU_TARGET,
      '≤ 0.6',
      (ok(inbound) ? inbound.full.cpuMsPerMessage.postgres : null) ?? null,
      (v) => v <= 0.6,
    ),
    target(HALF_P99_TARGET, '≤ 25', ok(inbound) ? inbound.half.latency.p99 : null, (v) => v <= 25),
    target(
      'projection rebuild (events/s)',
      '≥ 20,000',
      ok(projections) ? projections.slowestRebuild.eventsPerSecond : null,
      (v) => v >= 20_000,
    ),
    target(
      OUTBOX_CATCH_UP_TARGET,
      '≥ 20,000',
      (ok(projections) ? projections.catchUp.byConsumer?.[OUTBOX]?.eventsPerSecond : null) ?? null,
      (v) => v >= 20_000,
    ),
    target(
      CATCH_UP_TARGET,
      '≥ 20,000',
      ok(projections) ? projections.catchUp.eventsPerSecond : null,
      (v) => v >= 20_000,
    ),
    target(
      SEARCH_TARGET,
      ok(search) ? `≤ ${searchBudgetMs(search.contacts)}` : '≤ 30 (≤ 60 at 1,000,000)',
      ok(search) ? search.latency.p95 : null,
      (v) => ok(search) && v <= searchBudgetMs(search.contacts),
    ),
    target(
      'dialog list p95 (ms)',
      '≤ 10',
      ok(dialogs) ? dialogs.list.latency.p95 : null,
      (v) => v <= 10,
    ),
    target(
      "a dialog's messages p95 (ms)",
      '≤ 10',
      ok(dialogs) ? dialogs.messages.latency.p95 : null,
      (v) => v <= 10,
    ),
    notaryTarget(costsOf?.notary),
    encryptionTarget(costsOf?.encryption),
    target(
      FULL_LAG_TARGET,
      '≤ 1,000',
      ok(inbound) ? inbound.lag.lagMs.p99 : null,
      (v) => v <= 1000,
    ),
    target(
      HALF_LAG_TARGET,
      '≤ 250',
      ok(inbound) ? inbound.lagAtHalfLoad.lagMs.p99 : null,
      (v) => v <= 250,
    ),
    target(
      'webhook drain (deliveries/s)',
      '≥ 1,000',
      ok(webhooks) ? webhooks.drain.perSecond : null,
      (v) => v >= 1000,
    ),
    target(
      'webhook drain, receiver 50 ms (deliveries/s)',
      '≥ 200',
      ok(webhooks) ? webhooks.slowDrain.perSecond : null,
      (v) => v >= 200,
    ),
    target(
      'webhook end to end p50 (ms)',
      '≤ 25',
      ok(webhooks) ? webhooks.steady.endToEndMs.p50 : null,
      (v) => v <= 25,
    ),
    target(
      'webhook end to end p99 (ms)',
      '≤ 100',
      ok(webhooks) ? webhooks.steady.endToEndMs.p99 : null,
      (v) => v <= 100,
    ),
    target(
      IMPORT_TARGET,
      `< ${IMPORT_BUDGET_S}`,
      ok(history) && history.history.messages === IMPORT_MESSAGES ? history.first.seconds : null,
      (v) => v < IMPORT_BUDGET_S,
    ),
  ];
};

const cpuTriple = (...values: (number | null | undefined)[]): string =>
  values.map((v) => (v === null || v === undefined ? 'n/a' : fmt(v, 2))).join(' / ');

const non2xx = (load: { statuses: Readonly<Record<string, number>>; errors: number }): number =>
  Object.entries(load.statuses).reduce(
    (n, [status, count]) => (status.startsWith('2') ? n : n + count),
    load.errors,
  );

const met = (r: Results, name: string): Pick<Row, 'target' | 'met'> => {
  const t = r.targets.find((x) => x.name === name);
  return t === undefined ? {} : { target: t.target, met: t.met };
};

/** a statement's text, short enough for the table */
const shortQuery = (query: string): string =>
  query.length <= 90 ? query : `${query.slice(0, 89)}…`;

const topRows = (section: string, label: string, top: InboundSection['idle']['statements']) =>
  (top?.top ?? []).map((s, i) => ({
    section,
    metric: `${label} #${i + 1}: ${shortQuery(s.query)}`,
    value:
      `${fmt(s.calls)} / ${fmt(s.meanMs, 3)} / ${fmt(s.share * 100, 1)} %` +
      (s.plans > 0 ? ` · planned ${fmt(s.plans)} × ${fmt(s.planMs, 3)} ms` : ''),
  }));

/** what Parley and PostgreSQL cost per second with nothing to do */
const idleRows = (inbound: InboundSection): Row[] => {
  const { idle } = inbound;
  if (idle === undefined) return [];
  return [
    {
      section: 'inbound',
      metric: `idle, ${idle.seconds} s, no load: CPU ms per second, Parley / PostgreSQL`,
      value: cpuTriple(idle.cpuMsPerSecond.parley, idle.cpuMsPerSecond.postgres),
    },
    ...(idle.statements === null
      ? []
      : [
          {
            section: 'inbound',
            metric: 'idle: statements per second',
            value: fmt(idle.statements.calls / idle.seconds, 1),
          },
          ...topRows('inbound', 'idle: calls / ms per call / share of time', {
            ...idle.statements,
            top: idle.statements.top.slice(0, 5),
          }),
        ]),
  ];
};

/** pg_stat_statements over the full-load phase: the top statements by total time */
const statementRows = (inbound: InboundSection, messages: number): Row[] => {
  const { statements } = inbound;
  // results of older runs kept a plain list here
  if (statements === null || !Array.isArray(statements.top)) return [];
  return [
    {
      section: 'inbound',
      metric: 'full load: statements per message, everything (pg_stat_statements)',
      value: fmt(statements.calls / Math.max(1, messages), 1),
    },
    // results of older runs did not count them
    ...(typeof statements.keyLookups === 'number'
      ? [
          {
            section: 'inbound',
            metric: 'full load: lookups of data keys per message (keys.subject_keys)',
            value: fmt(statements.keyLookups / Math.max(1, messages), 2),
          },
        ]
      : []),
    ...topRows('inbound', 'full load: calls / ms per call / share of time', statements),
  ];
};

/** --waits: where the busiest statements' backends were, sampled over the full-load phase */
const waitRows = (inbound: InboundSection): Row[] => {
  const { waits } = inbound;
  if (waits === undefined || waits === null) return [];
  const busy = waits.statements.reduce((sum, s) => sum + s.samples, 0);
  const pct = (n: number, of: number): string => `${fmt((100 * n) / Math.max(1, of), 1)} %`;
  return waits.statements.slice(0, 5).map((s, i) => ({
    section: 'inbound',
    metric: `full load: busy backends' samples #${i + 1}, share / top waits: ${shortQuery(s.statement)}`,
    value: `${pct(s.samples, busy)} / ${Object.entries(s.events)
      .slice(0, 3)
      .map(([event, n]) => `${event} ${pct(n, s.samples)}`)
      .join(', ')}`,
  }));
};

/** Each kind of message's p50 / p99 in the mix (results written before it have none). */
const latencyByKindRow = (
  phase: string,
  load: Readonly<{ latencyByKind?: LoadResult['latencyByKind'] }>,
): Row[] =>
  load.latencyByKind === undefined
    ? []
    : [
        {
          section: 'inbound',
          metric: `${phase} latency p50 / p99 by kind of message (ms)`,
          value: Object.entries(load.latencyByKind)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([kind, l]) => `${kind} ${fmt(l.p50, 1)} / ${fmt(l.p99, 1)} (${l.count})`)
            .join(', '),
        },
      ];

export const rowsOf = (r: Results): Row[] => {
  const rows: Row[] = [];
  const { inbound, projections, search, dialogs, webhooks, import: history, costs } = r.sections;
  // the targets are judged on the costs section's figures when it ran
  const costTarget = (name: string, section: 'inbound' | 'costs'): Target | undefined =>
    (section === 'costs') === ok(costs) ? r.targets.find((t) => t.name === name) : undefined;
  if (ok(inbound)) {
    const { full, half, baseline } = inbound;
    rows.push(
      {
        section: 'inbound',
        metric: `full load, ${full.connections} connections: messages/s`,
        value: fmt(full.throughput, 1),
      },
      {
        section: 'inbound',
        metric: 'full load latency p50 / p95 / p99 (ms)',
        value: triple(full.latency.p50, full.latency.p95, full.latency.p99),
      },
      ...latencyByKindRow('full load', full),
      {
        section: 'inbound',
        metric: `half load, ${fmt(half.targetRate ?? 0)}/s fixed rate: messages/s`,
        value: fmt(half.throughput, 1),
      },
      {
        section: 'inbound',
        metric: 'half load latency p50 / p95 / p99 (ms)',
        value: triple(half.latency.p50, half.latency.p95, half.latency.p99),
        ...met(r, HALF_P99_TARGET),
      },
      ...latencyByKindRow('half load', half),
      ...inbound.rateLimit.variants.map((v) => ({
        section: 'inbound',
        metric: `rate limit cost per request, ${v.name} (lease ${v.lease}): µs / round trips`,
        value: `${fmt(v.microsPerRequest, 1)} / ${fmt(v.roundTripsPerRequest, 3)}`,
      })),
      {
        section: 'inbound',
        metric: `baseline: 1-row INSERT tx/s (${full.connections} callers, pool ${r.options.poolSize})`,
        value: fmt(baseline.perSecond, 1),
      },
      {
        section: 'inbound',
        metric: 'CPU ms per message at full load: Parley',
        value: cpuTriple(full.cpuMsPerMessage.parley),
        ...met(r, PARLEY_CPU_TARGET),
      },
      {
        section: 'inbound',
        metric: 'CPU ms per message at full load: PostgreSQL',
        value: cpuTriple(full.cpuMsPerMessage.postgres),
        ...met(r, POSTGRES_CPU_TARGET),
      },
      {
        section: 'inbound',
        metric: 'CPU ms per message at full load: the load generator',
        value: cpuTriple(full.cpuMsPerMessage.load),
      },
      {
        section: 'inbound',
        metric: 'CPU ms per message at half load: Parley / PostgreSQL',
        value: cpuTriple(half.cpuMsPerMessage.parley, half.cpuMsPerMessage.postgres),
      },
      {
        section: 'inbound',
        metric: 'CPU ms per baseline INSERT: PostgreSQL / load',
        value: cpuTriple(baseline.cpuMsPerInsert.postgres, baseline.cpuMsPerInsert.baseline),
      },
      {
        section: 'inbound',
        metric: 'inbound / baseline',
        value: fmt(inbound.ratio, 3),
        ...met(r, 'inbound / INSERT baseline'),
      },
      ...notaryRows(inbound.notary, costTarget(NOTARY_TARGET, 'inbound')),
      ...notaryRows(
        inbound.encryption,
        costTarget(ENCRYPTION_TARGET, 'inbound'),
        'privacy encryption',
      ),
      {
        section: 'inbound',
        metric: 'non-2xx answers (full + half)',
        value: String(non2xx(full) + non2xx(half)),
      },
      ...(inbound.statementsPerKind ?? []).map((k) => ({
        section: 'inbound',
        metric: `statements per ${k.kind} message: write path (append / stream reads / other); notify; read side`,
        value: `${fmt(k.writePath, 2)} (${fmt(k.append, 2)} / ${fmt(k.readStream, 2)} / ${fmt(k.revision, 2)}); ${fmt(k.notify, 2)}; ${fmt(k.readSide, 1)}`,
        ...(k.kind === 'existing' ? met(r, 'statements per existing message, warm') : {}),
        ...(k.kind === 'idempotent' ? met(r, 'statements per existing message with a key') : {}),
      })),
      ...(inbound.statementsPerKind ?? []).flatMap((k) =>
        k.appendsBy === undefined
          ? []
          : [
              {
                section: 'inbound',
                metric: `appends per ${k.kind} message by expected revision: no_stream / revision / stream_exists / any`,
                value: [
                  k.appendsBy.no_stream,
                  k.appendsBy.revision,
                  k.appendsBy.stream_exists,
                  k.appendsBy.any,
                ]
                  .map((n) => fmt(n, 2))
                  .join(' / '),
              },
            ],
      ),
      ...idleRows(inbound),
      ...statementRows(inbound, full.ok),
      ...waitRows(inbound),
      {
        section: 'projections',
        metric: 'lag at full load p50 / p99 (ms)',
        value: `${fmt(inbound.lag.lagMs.p50)} / ${fmt(inbound.lag.lagMs.p99)}`,
        ...met(r, FULL_LAG_TARGET),
      },
      {
        section: 'projections',
        metric: 'lag at full load p99 of each consumer (ms)',
        value: Object.entries(inbound.lag.p99ByConsumer ?? {})
          .map(([name, p99]) => `${name} ${fmt(p99)}`)
          .join(', '),
      },
      {
        section: 'projections',
        metric: 'lag at half load p50 / p99 (ms)',
        value: `${fmt(inbound.lagAtHalfLoad.lagMs.p50)} / ${fmt(inbound.lagAtHalfLoad.lagMs.p99)}`,
        ...met(r, HALF_LAG_TARGET),
      },
    );
  } else rows.push(...missing('inbound', inbound));
  if (ok(projections)) {
    const { log, catchUp, rebuild, slowestRebuild } = projections;
    rows.push(
      {
        section: 'projections',
        metric: `log: ${fmt(log.contacts)} contacts, ${fmt(log.dialogs)} dialogs (seeded in ${fmt(log.seedSeconds, 1)} s)`,
        value: `${fmt(log.events)} events`,
      },
      {
        section: 'projections',
        metric:
          'catch-up from 0: one Parley, every projection and the webhook outbox at once: events/s',
        value: fmt(catchUp.eventsPerSecond),
        ...met(r, CATCH_UP_TARGET),
      },
      {
        section: 'projections',
        metric: 'catch-up from 0: CPU seconds, Parley / PostgreSQL',
        value:
          catchUp.cpuSeconds === undefined
            ? 'n/a'
            : `${catchUp.cpuSeconds.parley === null ? 'n/a' : fmt(catchUp.cpuSeconds.parley, 1)} / ${catchUp.cpuSeconds.postgres === null ? 'n/a' : fmt(catchUp.cpuSeconds.postgres, 1)}`,
      },
      // the two that arrive last: the outbox (its own target) and the notary
      ...[OUTBOX, NOTARY].flatMap((name) => {
        const rate = catchUp.byConsumer?.[name];
        return rate === undefined
          ? []
          : [
              {
                section: 'projections',
                metric: `catch-up from 0, in that run: ${name} at the head after ${fmt(rate.seconds, 1)} s: events/s`,
                value: fmt(rate.eventsPerSecond),
                ...(name === OUTBOX ? met(r, OUTBOX_CATCH_UP_TARGET) : {}),
              },
            ];
      }),
      ...Object.entries(rebuild).map(([name, rate]) => ({
        section: 'projections',
        metric: `rebuild ${name} from 0 (npm run projections -- rebuild): events/s`,
        value: fmt(rate.eventsPerSecond),
        ...(name === slowestRebuild.projection ? met(r, 'projection rebuild (events/s)') : {}),
      })),
    );
  } else rows.push(...missing('projections', projections));
  if (ok(search))
    rows.push(
      {
        section: 'search',
        metric: `GET /api/contacts/search over ${fmt(search.contacts)} contacts, ${search.load.connections} connections: searches/s`,
        value: fmt(search.load.throughput, 1),
      },
      {
        section: 'search',
        metric: `seeding the contacts (${search.seeding === 'bulk' ? 'written into the read model in bulk' : 'the event log, applied by the projection'}): s`,
        value: fmt(search.seedSeconds, 1),
      },
      {
        section: 'search',
        metric: 'latency p50 / p95 / p99 (ms)',
        value: triple(search.latency.p50, search.latency.p95, search.latency.p99),
        ...met(r, SEARCH_TARGET),
      },
      {
        section: 'search',
        metric: 'CPU ms per search: Parley / PostgreSQL / the load generator',
        value: requestCpu(search.cpuMsPerSearch),
      },
    );
  else rows.push(...missing('search', search));
  if (ok(dialogs))
    rows.push(
      {
        section: 'dialogs',
        metric: `log: ${fmt(dialogs.seeding.contacts)} contacts, ${fmt(dialogs.dialogs)} dialogs (an inbox's mix), ${fmt(dialogs.seeding.operators)} operators (seeded in ${fmt(dialogs.seeding.seedSeconds, 1)} s)`,
        value: `${fmt(dialogs.seeding.events)} events`,
      },
      {
        section: 'dialogs',
        metric: 'Parley on that log from 0, until every consumer is at the head: s',
        value: fmt(dialogs.seeding.catchUpSeconds, 1),
      },
      {
        section: 'dialogs',
        metric: `GET /api/dialogs, pages of 50 with filters, over ${fmt(dialogs.dialogs)} dialogs, ${dialogs.list.connections} connections: requests/s`,
        value: fmt(dialogs.list.throughput, 1),
      },
      {
        section: 'dialogs',
        metric: 'dialog list latency p50 / p95 / p99 (ms)',
        value: triple(dialogs.list.latency.p50, dialogs.list.latency.p95, dialogs.list.latency.p99),
        ...met(r, 'dialog list p95 (ms)'),
      },
      {
        section: 'dialogs',
        metric: 'CPU ms per dialog list page: Parley / PostgreSQL / the load generator',
        value: requestCpu(dialogs.cpuMsPerRequest?.list),
      },
      {
        section: 'dialogs',
        metric: `GET /api/dialogs/{id}/messages, pages of 50: requests/s`,
        value: fmt(dialogs.messages.throughput, 1),
      },
      {
        section: 'dialogs',
        metric: "a dialog's messages latency p50 / p95 / p99 (ms)",
        value: triple(
          dialogs.messages.latency.p50,
          dialogs.messages.latency.p95,
          dialogs.messages.latency.p99,
        ),
        ...met(r, "a dialog's messages p95 (ms)"),
      },
      {
        section: 'dialogs',
        metric: "CPU ms per page of a dialog's messages: Parley / PostgreSQL / the load generator",
        value: requestCpu(dialogs.cpuMsPerRequest?.messages),
      },
    );
  else rows.push(...missing('dialogs', dialogs));
  if (ok(webhooks))
    rows.push(
      {
        section: 'webhooks',
        metric: `deliveries/s draining ${fmt(webhooks.drain.deliveries)} message.created in ${fmt(webhooks.drain.lines)} lines, WEBHOOK_CONCURRENCY=${webhooks.drain.concurrency}`,
        value: fmt(webhooks.drain.perSecond, 1),
        ...met(r, 'webhook drain (deliveries/s)'),
      },
      {
        section: 'webhooks',
        metric: `the same, ${fmt(webhooks.slowDrain.deliveries)} in ${fmt(webhooks.slowDrain.lines)} lines, receiver answering in ${webhooks.slowDrain.receiverDelayMs} ms`,
        value: fmt(webhooks.slowDrain.perSecond, 1),
        ...met(r, 'webhook drain, receiver 50 ms (deliveries/s)'),
      },
      {
        section: 'webhooks',
        metric: `message in → webhook out at ${webhooks.steady.rate} messages/s p50 / p95 / p99 (ms)`,
        value: triple(
          webhooks.steady.endToEndMs.p50,
          webhooks.steady.endToEndMs.p95,
          webhooks.steady.endToEndMs.p99,
        ),
        ...met(r, 'webhook end to end p50 (ms)'),
      },
      {
        section: 'webhooks',
        metric: 'message in → webhook out p99 (ms)',
        value: fmt(webhooks.steady.endToEndMs.p99),
        ...met(r, 'webhook end to end p99 (ms)'),
      },
      {
        section: 'webhooks',
        metric: `attempts that did not deliver (retried 5 s later): drain / 50 ms drain / steady${undeliveredWhy(webhooks)}`,
        value: triple(
          undeliveredCount(webhooks.drain.undelivered),
          undeliveredCount(webhooks.slowDrain.undelivered),
          undeliveredCount(webhooks.steady.undelivered),
        ),
      },
    );
  else rows.push(...missing('webhooks', webhooks));
  if (ok(history)) {
    const { first, again } = history;
    const h = history.history;
    rows.push(
      {
        section: 'import',
        metric: `POST /api/custom-channel/import: ${fmt(h.messages)} messages (${fmt(h.incoming)} in, ${fmt(h.outgoing)} out), ${fmt(h.dialogs)} dialogs, ${fmt(h.customers)} customers, ${fmt(h.bytes / 1e6, 1)} MB: s`,
        value: fmt(first.seconds, 1),
        ...met(r, IMPORT_TARGET),
      },
      {
        section: 'import',
        metric: `the same: messages/s (${fmt(first.eventsAppended)} events appended)`,
        value: fmt(first.messagesPerSecond, 1),
      },
      {
        section: 'import',
        metric: 'CPU ms per message: Parley (its projections included) / PostgreSQL',
        value: cpuTriple(first.cpuMsPerMessage.parley, first.cpuMsPerMessage.postgres),
      },
      {
        section: 'import',
        metric: 're-import of the same body: s',
        value: fmt(again.seconds, 1),
      },
      {
        section: 'import',
        metric: 're-import: every line already_imported, events appended',
        value: `${again.everyLineAlreadyImported ? 'yes' : 'NO'}, ${fmt(again.eventsAppended)}`,
        target: 'yes, 0',
        met: again.everyLineAlreadyImported && again.eventsAppended === 0,
      },
    );
  } else rows.push(...missing('import', history));
  if (ok(costs))
    rows.push(
      ...notaryRows(costs.notary, costTarget(NOTARY_TARGET, 'costs'), 'audit notary', 'costs'),
      ...notaryRows(
        costs.encryption,
        costTarget(ENCRYPTION_TARGET, 'costs'),
        'privacy encryption',
        'costs',
      ),
    );
  else rows.push(...missing('costs', costs));
  return rows;
};
