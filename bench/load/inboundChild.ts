import { serveParent } from '../lib/child';
import { fixedRate, fullLoad, type LoadResult } from './httpLoad';
import { requestMix, type Population } from './mix';

/** What the bench asks of this load process for one phase. */
export type InboundRun = Readonly<{
  type: 'run';
  url: string;
  /** `/api/custom-channel/message/{id}?token=…` */
  path: string;
  mode: 'max' | 'rate';
  rate: number | null;
  connections: number;
  durationS: number;
  population: Population;
  seed: number;
  stream: string;
  mergeFrom: number;
  mergeTo: number;
}>;

export type InboundRunResult = Readonly<{
  type: 'result';
  load: LoadResult;
  mergesUsed: number;
  mergesMissed: number;
}>;

/** A load process of its own: the generator's CPU never comes out of Parley's event loop. */
serveParent({
  run: async (run: InboundRun): Promise<InboundRunResult> => {
    const mix = requestMix(run.population, run);
    const next = () => {
      const { kind, body } = mix.next();
      return { kind, method: 'POST' as const, path: run.path, body };
    };
    const load =
      run.mode === 'max'
        ? await fullLoad(run.url, next, run)
        : await fixedRate(run.url, next, {
            rate: run.rate ?? 1,
            durationS: run.durationS,
            maxSockets: run.connections * 4,
          });
    return { type: 'result', load, mergesUsed: mix.mergesUsed(), mergesMissed: mix.mergesMissed() };
  },
});
