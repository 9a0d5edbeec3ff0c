/** `GET /metadata/endpoints`: ARM's cloud metadata, public as in Azure (core/arm/cloud-metadata.ts). */
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { apiVersionParameter } from '../api-version.js';
import { CLOUD_METADATA_API_VERSIONS, cloudMetadata } from '../../core/arm/cloud-metadata.js';

const Strings = Type.Array(Type.String());
const StackMetadataSchema = Type.Object({
  galleryEndpoint: Type.String(),
  graphEndpoint: Type.String(),
  portalEndpoint: Type.String(),
  authentication: Type.Object({ loginEndpoint: Type.String(), audiences: Strings }),
});
const CloudSchema = Type.Object({
  name: Type.String(),
  portal: Type.String(),
  resourceManager: Type.String(),
  gallery: Type.String(),
  graph: Type.String(),
  graphAudience: Type.String(),
  authentication: Type.Object({ loginEndpoint: Type.String(), audiences: Strings, tenant: Type.String(), identityProvider: Type.String() }),
  suffixes: Type.Record(Type.String(), Type.String()),
});

/** Registers the metadata route outside ARM authentication (clients read it before they sign in). */
export const cloudMetadataRoute: FastifyPluginCallbackTypebox<{ readonly baseUrl: string }> = (app, { baseUrl }, done) => {
  app.get('/metadata/endpoints', {
    schema: {
      tags: ['Cloud metadata'],
      summary: 'Endpoints of this cloud for az cloud register and Add-AzEnvironment (2015-01-01: one object; later versions: a list of clouds)',
      querystring: Type.Object({ 'api-version': apiVersionParameter(`One of ${CLOUD_METADATA_API_VERSIONS.join(', ')}.`) }),
      response: { 200: Type.Union([StackMetadataSchema, Type.Array(CloudSchema)]) },
    },
  }, (request) => cloudMetadata(baseUrl, request.query['api-version']));
  done();
};
