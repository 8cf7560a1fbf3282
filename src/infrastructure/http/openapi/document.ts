import type { Limits } from '../../config';
import { components } from './components';
import { fromContracts } from './fromContracts';
import type { RouteContract } from '../contract';
import { anObject } from '../codecs/operationAnswers';
import { routeContracts } from '../routes/contracts';
import { webhookEvents } from './webhooks';
import { webhookSchemas } from './webhookSchemas';

/** The document's own route: declared here, since the document is built from every other. */
export const openApiContract: RouteContract = {
  method: 'get',
  path: '/openapi.json',
  tags: ['operations'],
  summary: 'This document',
  response: { status: 200, description: 'OpenAPI 3.1', codec: anObject },
  errors: [],
};

/** Schemas by name; two modules must not write the same name. */
const mergeSchemas = (...all: readonly Record<string, unknown>[]): Record<string, unknown> => {
  const merged: Record<string, unknown> = {};
  for (const schemas of all) {
    for (const [name, schema] of Object.entries(schemas)) {
      if (name in merged) throw new Error(`OpenAPI: two schemas named ${name}`);
      merged[name] = schema;
    }
  }
  return merged;
};

/** The document for this configuration: limits come from it, as the codecs apply them. */
export const openApiDocument = (serverUrl: string, limits: Limits) => {
  const declared = fromContracts([...routeContracts, openApiContract], limits);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley',
      version: '1.0.0',
      description:
        'Event-sourced help-desk custom channel. Errors are `{ code, message, details? }`; see README for every code. Ids are 24 hex digits.',
    },
    servers: [{ url: serverUrl }],
    // every path from a route contract: a test checks each served route is here
    paths: declared.paths,
    webhooks: webhookEvents,
    components: {
      ...components,
      schemas: mergeSchemas(components.schemas, declared.schemas, webhookSchemas),
    },
  };
};
