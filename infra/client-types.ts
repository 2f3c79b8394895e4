/**
 * The typed client's types (client/src/schema.d.ts), generated from the OpenAPI document by
 * openapi-typescript. `npm run openapi` writes them with the document; `npm run client` from
 * the document as it is on disk. infra/client-types.test.ts fails when the file is stale.
 */
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import type { OpenApiDocument } from './openapi';

/** Where the generated types live, relative to the project root. */
export const CLIENT_TYPES_FILE = 'client/src/schema.d.ts';

export const renderClientTypes = async (doc: OpenApiDocument): Promise<string> => `${COMMENT_HEADER}${astToString(await openapiTS(doc as unknown as OpenAPI3, { silent: true }))}`;
