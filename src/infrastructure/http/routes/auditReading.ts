import type Router from '@koa/router';
import type { ParleyDeps } from '../../parleyDeps';
import { auditorRoutes } from './auditors';
import { historyRoutes } from './history';
import { subjectAccessRoutes } from './subjectAccess';
import { traceRoutes } from './trace';

/** The reading half of the audit (SPEC §7): auditors, history, subject access (§8), trace. */
export const auditReadingRoutes = (deps: ParleyDeps): Router[] => [
  auditorRoutes(deps),
  historyRoutes(deps),
  subjectAccessRoutes(deps),
  traceRoutes(deps),
];
