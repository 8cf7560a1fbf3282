import { fmt, type Row, type Target } from './lib/report';
import type { NotaryCost } from './sections/notaryCost';

export const NOTARY_TARGET = 'audit notary cost to the sustained inbound rate';
export const ENCRYPTION_TARGET = 'privacy encryption cost to the sustained inbound rate';

const percent = (cost: number): string => `${fmt(cost * 100, 1)} %`;

/** Results written before the phases counted their catch-up have another shape: not shown. */
const measured = (notary: NotaryCost | undefined): notary is NotaryCost =>
  notary !== undefined && Array.isArray(notary.phases);

/** the judged cost: the median over pairs of phases; the mean's for results written before */
const judged = (cost: NotaryCost): number =>
  Array.isArray(cost.pairCosts) ? cost.cost : cost.sustainedRate.cost;

/** SPEC §7: the notary costs under 10 % of the inbound rate, its catch-up counted. */
export const notaryTarget = (notary: NotaryCost | undefined): Target => {
  const value = measured(notary) ? judged(notary) : null;
  return { name: NOTARY_TARGET, target: '< 10 %', value, met: value === null ? null : value < 0.1 };
};

/** SPEC §8: sealing personal fields costs under 15 % of the inbound rate. */
export const encryptionTarget = (encryption: NotaryCost | undefined): Target => {
  const value = measured(encryption) ? judged(encryption) : null;
  return {
    name: ENCRYPTION_TARGET,
    target: '< 15 %',
    value,
    met: value === null ? null : value < 0.15,
  };
};

/** The notary's rows of the summary: both rates, the catch-up and the CPU, off next to on. */
export const notaryRows = (
  notary: NotaryCost | undefined,
  target: Target | undefined,
  name = 'audit notary',
  section = 'inbound',
): Row[] => {
  if (!measured(notary)) return [{ section, metric: `${name} cost`, value: 'n/a' }];
  const { phases, loadRate, sustainedRate, cpuMsPerMessage } = notary;
  const order = phases.map((p) => (p.notary ? 'on' : 'off')).join(', ');
  const list = (figure: (p: NotaryCost['phases'][number]) => number, digits: number): string =>
    phases.map((p) => fmt(figure(p), digits)).join(', ');
  const row = (metric: string, value: string, extra: Partial<Row> = {}): Row => ({
    section,
    metric,
    value,
    ...extra,
  });
  return [
    row(
      `${name} off / on: full-load messages/s while loading (cost)`,
      `${fmt(loadRate.off, 1)} / ${fmt(loadRate.on, 1)} (${percent(loadRate.cost)})`,
      { target: `${target?.target ?? ''}, not judged` },
    ),
    row(
      `${name} off / on: messages/s over load + catch-up to the head (cost of the means)`,
      `${fmt(sustainedRate.off, 1)} / ${fmt(sustainedRate.on, 1)} (${percent(sustainedRate.cost)})`,
      Array.isArray(notary.pairCosts) || target === undefined
        ? {}
        : { target: target.target, met: target.met },
    ),
    ...(Array.isArray(notary.pairCosts)
      ? [
          row(
            `${name} cost to the sustained rate, median of ${notary.pairCosts.length} neighbouring off/on pairs (each pair)`,
            `${percent(notary.cost)} (${notary.pairCosts.map(percent).join(', ')})`,
            target === undefined ? {} : { target: target.target, met: target.met },
          ),
        ]
      : []),
    row(
      `${name} phases ${order}: sustained messages/s`,
      list((p) => p.sustainedRate, 1),
    ),
    row(
      `${name} phases ${order}: messages / merges among them (a tenth: the mix had pairs left)`,
      phases
        .map((p) => `${fmt(p.messages)} / ${p.merges === undefined ? 'n/a' : fmt(p.merges)}`)
        .join(', '),
    ),
    row(
      `${name} phases ${order}: catch-up after the load (s)`,
      list((p) => p.catchUpS, 2),
    ),
    row(
      `CPU ms per message, Parley + PostgreSQL, catch-up included: ${name} off / on (cost)`,
      `${fmt(cpuMsPerMessage.off, 2)} / ${fmt(cpuMsPerMessage.on, 2)} (${percent(cpuMsPerMessage.cost)})`,
    ),
    ...(name !== 'audit notary'
      ? []
      : [
          row(
            'CPU ms per message of the notary alone, catching up after an off phase (share of off)',
            `${fmt(notary.replayCpuMsPerMessage, 2)} (${percent(notary.replayCpuMsPerMessage / cpuMsPerMessage.off)})`,
          ),
        ]),
  ];
};
