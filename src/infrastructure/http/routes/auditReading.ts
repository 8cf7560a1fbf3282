import type Router from '@koa/router';
import { auditorRoutes, type AuditorRouteDeps } from './auditors';
import { historyRoutes, type HistoryRouteDeps } from './history';
import { subjectAccessRoutes, type SubjectAccessRouteDeps } from './subjectAccess';
import { traceRoutes, type TraceRouteDeps } from './trace';

/** What the reading half of the audit uses: what its four routes use, and nothing more. */
export type AuditReadingRouteDeps = AuditorRouteDeps &
  HistoryRouteDeps &
  SubjectAccessRouteDeps &
  TraceRouteDeps;

/** The reading half of the audit (SPEC §7): auditors, history, subject access (§8), trace. */
export const auditReadingRoutes = (deps: AuditReadingRouteDeps): Router[] => [
  auditorRoutes(deps),
  historyRoutes(deps),
  subjectAccessRoutes(deps),
  traceRoutes(deps),
];
