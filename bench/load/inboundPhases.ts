import type { Child } from '../lib/child';
import type { LoadResult } from './httpLoad';
import type { InboundRun, InboundRunResult } from './inboundChild';
import type { Population } from './mix';

export type InboundTarget = Readonly<{
  url: string;
  /** the channel's `/api/custom-channel/message/{id}?token=…` */
  path: string;
  connections: number;
  population: Population;
}>;

/**
 * Phases of the inbound mix, run by a load process (`load/inboundChild.js`). Each phase takes
 * its merge pairs where the previous one left off: a pair merges once. `target` is asked at
 * every phase: a section may restart Parley between two.
 */
export const inboundPhases = (load: Child, target: () => InboundTarget) => {
  const merges = { used: 0, missed: 0 };
  let reserved = 0;
  const run = async (
    stream: string,
    mode: 'max' | 'rate',
    durationS: number,
    rate: number | null,
  ): Promise<LoadResult> => {
    const { population, ...where } = target();
    const request: InboundRun = {
      type: 'run',
      ...where,
      population,
      mode,
      rate,
      durationS,
      seed: stream.charCodeAt(0),
      stream,
      mergeFrom: merges.used,
      mergeTo: population.mergePairs - reserved,
    };
    load.send(request);
    const result = await load.next<InboundRunResult>('result');
    merges.used += result.mergesUsed;
    merges.missed += result.mergesMissed;
    return result.load;
  };
  /** `n` merge pairs for someone else (the statement count), taken from the end */
  const reserve = (n: number): Readonly<{ from: number; to: number }> => {
    const { mergePairs } = target().population;
    const from = Math.max(merges.used, mergePairs - n - reserved);
    const range = { from, to: mergePairs - reserved };
    reserved += range.to - range.from;
    return range;
  };
  return {
    run,
    reserve,
    merges: (): Readonly<{ used: number; missed: number }> => ({ ...merges }),
  };
};
