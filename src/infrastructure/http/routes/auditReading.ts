import type Router from '@koa/router';
import type { ParleyDeps } from '../../parley';
import { auditorRoutes } from './auditors';
import { historyRoutes } from './history';
import { traceRoutes } from './trace';

/** The reading half of the audit (SPEC §7): auditors, history, time travel, trace. */
export const auditReadingRoutes = (deps: ParleyDeps): Router[] => [
  auditorRoutes(deps),
  historyRoutes(deps),
  traceRoutes(deps),
];
