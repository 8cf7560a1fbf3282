import type { RouteContract } from '../contract';
import { listChannelsContract } from './channelQueries';
import { channelContracts } from './channels';
import { contactQueryContracts } from './contactQueries';
import { dialogCommandContracts } from './dialogCommands';
import { dialogQueryContracts } from './dialogQueries';
import { auditorContracts } from './auditors';
import { historyContracts } from './history';
import { inboundContract } from './inbound';
import { operatorContracts } from './operators';
import { deliveryContracts } from './webhookDeliveries';
import { webhookContracts } from './webhooks';

/**
 * Every route declared by a contract (contract.ts): the served OpenAPI is built from these,
 * and test/responseCodecs.e2e.spec.ts decodes real answers with their response codecs. A new
 * route file exports its contracts and adds them here.
 */
export const routeContracts: readonly RouteContract[] = [
  inboundContract,
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
];
