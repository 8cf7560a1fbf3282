import { auditReadingPaths, auditReadingSchemas, withTimeTravel } from './auditReading';
import { auditPaths } from './audit';
import { attachmentPaths, attachmentSchemas } from './attachments';
import type { Limits } from '../../config';
import { channelPaths } from './channels';
import { components } from './components';
import { inboundPaths, inboundSchemas } from './inbound';
import { operationPaths } from './operations';
import { operatorPaths, operatorSchemas } from './operators';
import { readModelPaths, readModelSchemas } from './readModels';
import { webhookEvents, webhookPaths } from './webhooks';
import { webhookSchemas } from './webhookSchemas';

type Paths = Record<string, Record<string, unknown>>;

/** Modules may describe other methods of one path: their path items are merged. */
const mergePaths = (...all: readonly Paths[]): Paths => {
  const merged: Paths = {};
  for (const paths of all) {
    for (const [path, item] of Object.entries(paths)) merged[path] = { ...merged[path], ...item };
  }
  return merged;
};

/** Paths from every module; a test checks that each route Parley serves is here. */
const paths = withTimeTravel(
  mergePaths(
    inboundPaths,
    channelPaths,
    operatorPaths,
    webhookPaths,
    operationPaths,
    readModelPaths,
    auditReadingPaths,
    auditPaths,
    attachmentPaths,
  ),
);

/** The document for this configuration: limits come from it, as the codecs apply them. */
export const openApiDocument = (serverUrl: string, limits: Limits) => ({
  openapi: '3.1.0',
  info: {
    title: 'Parley',
    version: '1.0.0',
    description:
      'Event-sourced help-desk custom channel. Errors are `{ code, message, details? }`; see README for every code. Ids are 24 hex digits.',
  },
  servers: [{ url: serverUrl }],
  paths,
  webhooks: webhookEvents,
  components: {
    ...components,
    schemas: {
      ...components.schemas,
      ...inboundSchemas(limits),
      ...readModelSchemas,
      ...operatorSchemas(limits),
      ...webhookSchemas,
      ...auditReadingSchemas,
      ...attachmentSchemas,
    },
  },
});
