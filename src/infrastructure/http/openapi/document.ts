import { auditReadingPaths, withTimeTravel } from './auditReading';
import { auditPaths } from './audit';
import { attachmentPaths, attachmentSchemas } from './attachments';
import type { Limits } from '../../config';
import { components } from './components';
import { fromContracts } from './fromContracts';
import { routeContracts } from '../routes/contracts';
import { integrationExtraPaths, integrationExtraSchemas } from './integrationExtras';
import { operationPaths } from './operations';
import { privacyPaths } from './privacy';
import { webhookEvents } from './webhooks';
import { webhookSchemas } from './webhookSchemas';

type Paths = Record<string, Record<string, unknown>>;

/** Modules may describe other methods of one path: their path items are merged. */
const mergePaths = (...all: readonly Paths[]): Paths => {
  const merged: Paths = {};
  for (const paths of all) {
    for (const [path, item] of Object.entries(paths)) {
      const known = Object.keys(item).filter((key) => merged[path]?.[key] !== undefined);
      if (known.length > 0) throw new Error(`OpenAPI: ${path} has ${known.join(', ')} twice`);
      merged[path] = { ...merged[path], ...item };
    }
  }
  return merged;
};

/** Paths from the route contracts and every module; a test checks each served route is here. */
const pathsOf = (declared: Paths) =>
  withTimeTravel(
    mergePaths(
      declared,
      integrationExtraPaths,
      operationPaths,
      auditReadingPaths,
      auditPaths,
      privacyPaths,
      attachmentPaths,
    ),
  );

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
  const declared = fromContracts(routeContracts, limits);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley',
      version: '1.0.0',
      description:
        'Event-sourced help-desk custom channel. Errors are `{ code, message, details? }`; see README for every code. Ids are 24 hex digits.',
    },
    servers: [{ url: serverUrl }],
    paths: pathsOf(declared.paths),
    webhooks: webhookEvents,
    components: {
      ...components,
      schemas: mergeSchemas(
        components.schemas,
        declared.schemas,
        integrationExtraSchemas(limits),
        webhookSchemas,
        attachmentSchemas,
      ),
    },
  };
};
