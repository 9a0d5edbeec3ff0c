/** Wire shapes of `Microsoft.Resources/deployments` (ARM's Deployment, DeploymentExtended and operations). */
import Type from 'typebox';
import { apiVersionParameter } from '../api-version.js';

const Open = (description: string) => Type.Object({}, { additionalProperties: true, description });

const ErrorShape = Type.Object({
  code: Type.String(),
  message: Type.String(),
  target: Type.Optional(Type.String()),
  details: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String(), target: Type.Optional(Type.String()) }))),
});

export const DeploymentBodySchema = Type.Object(
  {
    location: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Record(Type.String(), Type.String())),
    properties: Type.Optional(Open('template (inline; templateLink is refused), parameters ({ name: { value } }), mode (Incremental)')),
  },
  { additionalProperties: true },
);

export const DeploymentSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  location: Type.Optional(Type.String()),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  properties: Type.Object({
    provisioningState: Type.String(),
    mode: Type.String(),
    correlationId: Type.String(),
    timestamp: Type.String(),
    duration: Type.String(),
    templateHash: Type.String(),
    parameters: Open('the parameters as deployed, secure values left out'),
    outputs: Type.Optional(Open('the template outputs: { name: { type, value } }')),
    outputResources: Type.Array(Type.Object({ id: Type.String() })),
    validatedResources: Type.Optional(Type.Array(Type.Object({ id: Type.String() }))),
    error: Type.Optional(ErrorShape),
  }),
});

export const DeploymentOperationSchema = Type.Object({
  id: Type.String(),
  operationId: Type.String(),
  properties: Type.Object({
    provisioningOperation: Type.String(),
    provisioningState: Type.String(),
    timestamp: Type.String(),
    duration: Type.String(),
    trackingId: Type.String(),
    statusCode: Type.String(),
    statusMessage: Type.Optional(Type.Object({ status: Type.String(), error: ErrorShape })),
    targetResource: Type.Object({ id: Type.String(), resourceType: Type.String(), resourceName: Type.String(), apiVersion: Type.String() }),
  }),
});

export const DeploymentsQuery = Type.Object(
  { 'api-version': apiVersionParameter(), $top: Type.Optional(Type.String()), $skipToken: Type.Optional(Type.String()), $skiptoken: Type.Optional(Type.String()), $filter: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

export const DeploymentErrorSchema = Type.Object({ error: ErrorShape });
