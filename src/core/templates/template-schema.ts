/**
 * Template `$schema` URLs: every variant seen in the Lighthouse samples is accepted (http or
 * https, with or without `/schemas/`, with or without the trailing `#`). The schema names the
 * scope a root template deploys at.
 */
import { canonicalKeys, childPath, isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import { templateError } from './template-error.js';

export type TemplateScopeKind = 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant';

const SCHEMA = /^https?:\/\/schema\.management\.azure\.com\/(?:schemas\/)?\d{4}-\d{2}-\d{2}(?:-preview)?\/(deploymentTemplate|subscriptionDeploymentTemplate|managementGroupDeploymentTemplate|tenantDeploymentTemplate)\.json#?$/i;

const KINDS: Record<string, TemplateScopeKind> = {
  deploymenttemplate: 'resourceGroup',
  subscriptiondeploymenttemplate: 'subscription',
  managementgroupdeploymenttemplate: 'managementGroup',
  tenantdeploymenttemplate: 'tenant',
};

const TEMPLATE_KEYS = ['$schema', 'contentVersion', 'parameters', 'variables', 'resources', 'outputs', 'functions'];

/** The deployment scope a template `$schema` URL is for; throws `InvalidTemplate` for anything else. */
function schemaScope(schema: JsonValue | undefined, path: string): TemplateScopeKind {
  const at = childPath(path, '$schema');
  if (typeof schema !== 'string') throw templateError(at, "The template must declare its '$schema'.");
  const m = SCHEMA.exec(schema.trim());
  if (!m) throw templateError(at, `The template schema '${schema}' is not supported. Use a deploymentTemplate.json or subscriptionDeploymentTemplate.json schema from https://schema.management.azure.com/schemas/.`);
  return KINDS[(m[1] as string).toLowerCase()] as TemplateScopeKind;
}

/** Checks the members every template needs; returns the template with canonical member names and its resources. */
export function checkTemplateShape(value: JsonValue, path: string): { template: JsonObject; resources: JsonValue[]; scope: TemplateScopeKind } {
  if (!isJsonObject(value)) throw templateError(path === '' ? '$' : path, 'The template must be a JSON object.');
  const template = canonicalKeys(value, TEMPLATE_KEYS);
  const scope = schemaScope(template.$schema, path);
  if (typeof template.contentVersion !== 'string' || !/^\d+(\.\d+){3}$/.test(template.contentVersion)) {
    throw templateError(childPath(path, 'contentVersion'), "The template 'contentVersion' must be a version string such as '1.0.0.0'.");
  }
  const resources = template.resources ?? [];
  if (!Array.isArray(resources)) {
    throw templateError(childPath(path, 'resources'), "The template 'resources' must be an array (symbolic-name templates, languageVersion 2.0, are not supported).");
  }
  if (Array.isArray(template.functions) && template.functions.length > 0) {
    throw templateError(childPath(path, 'functions'), 'User-defined template functions are not supported.');
  }
  if (template.outputs !== undefined && !isJsonObject(template.outputs)) throw templateError(childPath(path, 'outputs'), "The template 'outputs' must be an object.");
  return { template, resources, scope };
}
