/**
 * What Lantern keeps of a deployment, in ARM's shape (`DeploymentExtended` and its operations):
 * the request's mode, parameters (secure values left out), template hash, state, outputs,
 * output resources, the `DeploymentFailed` error, and one operation per resource put.
 */
import { createHash } from 'node:crypto';
import type { DomainError, DomainErrorKind } from '../../core/errors.js';
import type { JsonObject, JsonValue, TemplateOutput } from '../../core/templates/index.js';

export const DEPLOYMENTS_TYPE = 'Microsoft.Resources/deployments';

export type ProvisioningState = 'Running' | 'Succeeded' | 'Failed';

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
  readonly details?: ErrorBody[];
}

export interface DeploymentOperation {
  readonly id: string;
  readonly operationId: string;
  readonly properties: {
    readonly provisioningOperation: 'Create';
    /** `Running` while the deployment is putting the resource; stored, it tells a restart what was in flight. */
    readonly provisioningState: 'Running' | 'Succeeded' | 'Failed';
    readonly timestamp: string;
    readonly duration: string;
    readonly trackingId: string;
    readonly statusCode: string;
    readonly statusMessage?: { readonly status: 'Failed'; readonly error: ErrorBody };
    readonly targetResource: { readonly id: string; readonly resourceType: string; readonly resourceName: string; readonly apiVersion: string };
  };
}

/** The stored document: the ARM resource plus its operations (plain JSON, so lists are mutable arrays). */
export interface DeploymentDocument {
  readonly id: string;
  readonly name: string;
  readonly type: typeof DEPLOYMENTS_TYPE;
  readonly location?: string;
  readonly tags?: Record<string, string>;
  readonly properties: {
    readonly provisioningState: ProvisioningState;
    readonly mode: 'Incremental';
    readonly correlationId: string;
    readonly timestamp: string;
    readonly duration: string;
    readonly templateHash: string;
    readonly parameters: JsonObject;
    /** Secure outputs keep their type only. */
    readonly outputs?: Record<string, TemplateOutput | { readonly type: string }>;
    readonly outputResources: { readonly id: string }[];
    readonly error?: ErrorBody;
  };
  readonly operations: DeploymentOperation[];
}

/** ARM's `templateHash`: a decimal number derived from the template's content. */
export function templateHash(template: JsonValue): string {
  return BigInt(`0x${createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 16)}`).toString(10);
}

/** An ISO-8601 duration (`PT1.234S`) between two instants. */
export function isoDuration(from: Date, to: Date): string {
  return `PT${Math.max(0, (to.getTime() - from.getTime()) / 1000)}S`;
}

/**
 * The parameters as ARM echoes them: `{ name: { type, value } }` with the declared type
 * capitalised, and no value for secure strings and objects.
 */
export function echoParameters(template: JsonObject, supplied: JsonObject): JsonObject {
  // Template members are matched without regard to case, as the planner matches them (`Parameters`, `Type`):
  // reading only the lower-case spellings would take a secure parameter for a string and echo its value.
  const declared = asObject(member(template, 'parameters'));
  const out: JsonObject = {};
  for (const [name, raw] of Object.entries(supplied)) {
    const declaredType = member(asObject(member(declared, name)), 'type');
    const type = typeof declaredType === 'string' ? declaredType : 'String';
    const shown = type.charAt(0).toUpperCase() + type.slice(1);
    const value = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'value' in raw ? raw.value : undefined;
    out[name] = type.toLowerCase().startsWith('secure') || value === undefined ? { type: shown } : { type: shown, value };
  }
  return out;
}

/** The outputs as ARM shows them: no value for secure strings and objects. */
export function echoOutputs(outputs: Readonly<Record<string, TemplateOutput>>): Record<string, TemplateOutput | { readonly type: string }> {
  return Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.type.toLowerCase().startsWith('secure') ? { type: output.type } : output]));
}

// A member of a template object by name, whatever its case.
function member(object: JsonObject, name: string): JsonValue | undefined {
  const lower = name.toLowerCase();
  return Object.entries(object).find(([k]) => k.toLowerCase() === lower)?.[1];
}

function asObject(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

const STATUS_NAMES: Record<DomainErrorKind, string> = {
  invalid: 'BadRequest',
  not_found: 'NotFound',
  conflict: 'Conflict',
  forbidden: 'Forbidden',
  unauthenticated: 'Unauthorized',
  limit: 'BadRequest',
  throttled: 'TooManyRequests',
};

/** The error body of a domain error, as the resource provider would answer it. */
export function errorBodyOf(error: DomainError): ErrorBody {
  return { code: error.code, message: error.message, ...(error.target !== undefined ? { target: error.target } : {}) };
}

/**
 * ARM's wrapper for a failed resource: `DeploymentFailed` whose details carry the HTTP status
 * name and, as the message, the provider's error JSON as a string.
 */
export function deploymentFailed(failures: readonly DomainError[]): ErrorBody {
  return {
    code: 'DeploymentFailed',
    message: 'At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.',
    details: failures.map((e) => ({ code: STATUS_NAMES[e.kind], message: JSON.stringify({ error: errorBodyOf(e) }) })),
  };
}

/** The status text of a successful put (`Created` or `OK`). */
export function statusText(created: boolean): string {
  return created ? 'Created' : 'OK';
}

/** The status name of a failed put. */
export function failureStatus(error: DomainError): string {
  return STATUS_NAMES[error.kind];
}

/**
 * The error of a deployment that was running when Lantern stopped (crash, kill, power loss): it
 * names what is known (the operations finished before) and the repair, a new PUT of the deployment.
 */
export function deploymentInterrupted(startedAt: string): ErrorBody {
  return {
    code: 'DeploymentInterrupted',
    message: `The deployment started at ${startedAt} was interrupted: Lantern stopped while it was running. The resources it had put are listed in its operations; the operation that was running when it stopped may or may not have been applied. Deploy the template again (PUT the deployment) to complete it.`,
  };
}
