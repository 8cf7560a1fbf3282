import type { RouteContract } from '../contract';
import { listChannelsContract } from './channelQueries';
import { channelContracts } from './channels';
import { contactQueryContracts } from './contactQueries';
import { dialogCommandContracts } from './dialogCommands';
import { dialogQueryContracts } from './dialogQueries';
import { auditorContracts } from './auditors';
import { historyContracts } from './history';
import { operatorContracts } from './operators';
import { deliveryContracts } from './webhookDeliveries';
import { webhookContracts } from './webhooks';
import { deleteContactContract, eraseContactContract } from './contactCommands';
import { healthzContract, readyzContract } from './health';
import { inboxContracts } from './inbox';
import { inboxDirectoryContract } from './inboxDirectory';
import { inboxEventsContract, streamTicketContract } from './inboxEvents';
import { meContract } from './me';
import { metricsContract } from './metrics';
import { exportContactContract } from './subjectAccess';
import { attachmentContracts } from './attachments';
import { withTimeTravel } from './timeTravel';
import { auditContracts } from './audit';
import { traceContract } from './trace';
import { historyImportContract } from './historyImport';
import { deliveryStatusContract, inboundContract } from './inbound';

/**
 * Every route declared by a contract (contract.ts): the served OpenAPI is built from these,
 * and test/responseCodecs.e2e.spec.ts decodes real answers with their response codecs. A new
 * route file exports its contracts and adds them here.
 */
export const routeContracts: readonly RouteContract[] = withTimeTravel([
  inboundContract,
  deliveryStatusContract,
  historyImportContract,
  ...dialogQueryContracts,
  ...contactQueryContracts,
  listChannelsContract,
  ...channelContracts,
  ...operatorContracts,
  ...dialogCommandContracts,
  ...webhookContracts,
  ...deliveryContracts,
  ...historyContracts,
  ...auditorContracts,
  deleteContactContract,
  eraseContactContract,
  exportContactContract,
  ...inboxContracts,
  meContract,
  streamTicketContract,
  inboxDirectoryContract,
  inboxEventsContract,
  healthzContract,
  readyzContract,
  metricsContract,
  ...attachmentContracts,
  ...auditContracts,
  traceContract,
]);
