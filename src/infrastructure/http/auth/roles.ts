import type { Actor } from '../../../application/ports/eventStore';

/** Who a bearer token is. Admins and operators cause events; auditors only read. */
export type Staff =
  | Readonly<{ role: 'admin' }>
  | Readonly<{ role: 'operator'; operatorId: string }>
  | Readonly<{ role: 'auditor'; auditorId: string }>;

/**
 * What a route needs (SPEC §3): `staff` routes are the operators' (dialogs, contacts);
 * `admin` routes are management (channels, operators, webhooks, auditors); `audit` routes are
 * the audit surface (trace, export, verification) that operators do not see.
 */
export type Surface = 'staff' | 'admin' | 'audit';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isRead = (method: string): boolean => SAFE_METHODS.has(method.toUpperCase());

/**
 * The one authorization rule. The admin does everything; an operator reads and acts on the
 * `staff` surface; an auditor reads every surface and changes nothing, whatever the route.
 */
export const permits = (staff: Staff, surface: Surface, method: string): boolean => {
  switch (staff.role) {
    case 'admin':
      return true;
    case 'auditor':
      return isRead(method);
    case 'operator':
      return surface === 'staff';
  }
};

/** The actor that events caused by this staff member record; auditors cause none. */
export const actorOf = (staff: Staff): Actor | null => {
  switch (staff.role) {
    case 'admin':
      return { type: 'admin' };
    case 'operator':
      return { type: 'operator', operatorId: staff.operatorId };
    case 'auditor':
      return null;
  }
};
