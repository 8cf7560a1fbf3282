import { channelPaths } from './channels';
import { components } from './components';
import { inboundPaths } from './inbound';
import { operationPaths } from './operations';
import { operatorPaths, operatorSchemas } from './operators';
import { webhookEvents, webhookPaths } from './webhooks';
import { webhookSchemas } from './webhookSchemas';

/** Paths from every module; a test checks that each route Parley serves is here. */
const paths = {
  ...inboundPaths,
  ...channelPaths,
  ...operatorPaths,
  ...webhookPaths,
  ...operationPaths,
};

export const openApiDocument = (serverUrl: string) => ({
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
    schemas: { ...components.schemas, ...operatorSchemas, ...webhookSchemas },
  },
});
