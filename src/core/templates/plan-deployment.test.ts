import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDeployment } from './plan-deployment.js';
import type { PlanInput } from './plan-deployment.js';
import { SUB, testContext } from './test-context.js';
import { DomainError } from '../errors.js';
import type { JsonObject, JsonValue } from './json.js';
import type { DeploymentPlan, PlanStep, RuntimeFunctions } from './deployment-plan.js';
import { armGuid } from './arm-guid.js';

const SUB_SCHEMA = 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#';
const RG_SCHEMA = 'https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#';
const S = `/subscriptions/${SUB}`;

function subTemplate(parts: JsonObject): JsonObject {
  return { $schema: SUB_SCHEMA, contentVersion: '1.0.0.0', resources: [], ...parts };
}

function plan(template: JsonObject | string, parameters?: PlanInput['parameters'], rg?: string): DeploymentPlan {
  return planDeployment({ template, ...(parameters !== undefined ? { parameters } : {}), context: testContext(rg ? { resourceGroup: rg } : {}) });
}

function rejects(fn: () => unknown, target: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError, String(e));
    assert.equal(e.code, 'InvalidTemplate');
    assert.equal(e.target, target);
    assert.match(e.message, pattern);
    return true;
  });
}

const res = (type: string, name: string, extra: JsonObject = {}): JsonObject => ({ type, apiVersion: '2019-09-01', name, ...extra });
const DEF = 'Microsoft.ManagedServices/registrationDefinitions';
const ASG = 'Microsoft.ManagedServices/registrationAssignments';
const runtime: RuntimeFunctions = {
  reference: (id, _api, full): JsonValue => (full ? { id, identity: { principalId: 'PRINCIPAL' } } : { id }),
  list: (action, id) => ({ action, id, keys: [{ value: 'k1' }] }),
};

test('accepts every $schema variant of the samples', () => {
  for (const schema of [
    SUB_SCHEMA,
    'https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#',
    'http://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
    'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json',
    'https://schema.management.azure.com/2018-05-01/subscriptionDeploymentTemplate.json#',
  ]) {
    assert.equal(plan(subTemplate({ $schema: schema })).steps.length, 0, schema);
  }
  for (const schema of [RG_SCHEMA, 'http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json', 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#']) {
    assert.equal(plan(subTemplate({ $schema: schema }), undefined, 'rg1').steps.length, 0, schema);
  }
});

test('rejects unknown schemas, a schema for another scope, and malformed templates', () => {
  rejects(() => plan(subTemplate({ $schema: 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json' })), '$schema', /is not supported/);
  rejects(() => plan(subTemplate({ $schema: undefined as unknown as JsonValue })), '$schema', /must declare its '\$schema'/);
  rejects(() => plan(subTemplate({ $schema: RG_SCHEMA })), '$schema', /is for resourceGroup deployments, but this is a subscription-level deployment/);
  rejects(() => plan(subTemplate({}), undefined, 'rg1'), '$schema', /is for subscription deployments/);
  rejects(() => plan(subTemplate({ $schema: 'https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#' })), '$schema', /managementGroup deployments/);
  rejects(() => plan(subTemplate({ contentVersion: 'v1' })), 'contentVersion', /version string/);
  rejects(() => plan(subTemplate({ resources: {} })), 'resources', /must be an array/);
  rejects(() => plan(subTemplate({ resources: ['x'] })), 'resources[0]', /must be an object/);
  rejects(() => plan(subTemplate({ functions: [{ namespace: 'ns', members: {} }] })), 'functions', /User-defined template functions are not supported/);
});

test('the doc example: an undefined variable names the resource path and the expression', () => {
  const t = subTemplate({ resources: [res(DEF, 'a'), res(ASG, "[variables('nope')]")] });
  assert.throws(
    () => plan(t),
    (e: unknown) =>
      e instanceof DomainError &&
      e.kind === 'invalid' &&
      e.target === 'resources[1].name' &&
      e.message === "Deployment template validation failed: 'The template resource 'resources[1].name' expression '[variables('nope')]' is not valid: the variable 'nope' is not defined.'",
  );
});

test('parameters: plain object or parameters file, case-insensitive names', () => {
  const t = subTemplate({ parameters: { Name: { type: 'string' } }, resources: [res(DEF, "[parameters('name')]")] });
  assert.equal(plan(t, { name: 'a' }).steps[0]?.name, 'a');
  assert.equal(plan(t, { $schema: 'https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { name: { value: 'b' } } }).steps[0]?.name, 'b');
  assert.equal(plan(t, '{ "parameters": { "NAME": { "value": "c" } } // comment\n }').steps[0]?.name, 'c');
});

test('a missing parameter is named, with line and column when the template is text', () => {
  const text = JSON.stringify(subTemplate({ parameters: { x: { type: 'string' } } }), null, 2);
  rejects(() => plan(text), 'parameters.x', /The value for the template parameter 'x' at line '6' and column '10' is not provided/);
  rejects(() => plan(subTemplate({ parameters: { x: { type: 'string' } } })), 'parameters.x', /The value for the template parameter 'x' is not provided/);
});

test('parameters: undeclared values, types and constraints are checked', () => {
  const t = (decl: JsonObject) => subTemplate({ parameters: { p: decl } });
  rejects(() => plan(t({ type: 'string' }), { p: 'a', extra: 1 }), 'parameters', /parameters 'extra' in the parameters file are not valid/);
  rejects(() => plan(t({ type: 'int' }), { p: '5' }), 'parameters.p', /Expected a value of type 'int', but received a value of type 'String'/);
  rejects(() => plan(t({ type: 'bool' }), { p: 1 }), 'parameters.p', /type 'bool'/);
  rejects(() => plan(t({ type: 'array' }), { p: {} }), 'parameters.p', /type 'array'/);
  rejects(() => plan(t({ type: 'secureObject' }), { p: [] }), 'parameters.p', /type 'secureObject'/);
  rejects(() => plan(t({ type: 'strin' }), { p: 'a' }), 'parameters.p.type', /expected one of string/);
  rejects(() => plan(t({ type: 'string', allowedValues: ['Yes', 'No'] }), { p: 'Maybe' }), 'parameters.p', /not part of the allowed values/);
  rejects(() => plan(t({ type: 'array', allowedValues: ['a', 'b'] }), { p: ['a', 'c'] }), 'parameters.p', /"c"/);
  rejects(() => plan(t({ type: 'string', minLength: 3 }), { p: 'ab' }), 'parameters.p', /less than the minimum length 3/);
  rejects(() => plan(t({ type: 'array', maxLength: 1 }), { p: [1, 2] }), 'parameters.p', /more than the maximum length 1/);
  rejects(() => plan(t({ type: 'int', minValue: 1 }), { p: 0 }), 'parameters.p', /less than the minimum value 1/);
  rejects(() => plan(t({ type: 'int', maxValue: 800 }), { p: 801 }), 'parameters.p', /more than the maximum value 800/);
  rejects(() => plan(t({ type: 'string' }), { parameters: { p: { reference: { keyVault: {} } } } }), 'parameters.p', /Key Vault reference/);
  rejects(() => plan(t({ type: 'string' }), { parameters: { p: { val: 1 } } }), 'parameters.p', /has no 'value'/);
  assert.doesNotThrow(() => plan(t({ type: 'string', allowedValues: ['Yes', 'No'], minLength: 2 }), { p: 'No' }));
});

test('the plan lists the resolved parameters, hiding secure values', () => {
  const t = subTemplate({ parameters: { a: { type: 'string', defaultValue: 'd' }, s: { type: 'securestring' }, o: { type: 'secureObject', defaultValue: {} }, n: { type: 'int' } } });
  assert.deepEqual(plan(t, { s: 'secret', n: 3 }).parameters, { a: { type: 'String', value: 'd' }, s: { type: 'SecureString' }, o: { type: 'SecureObject' }, n: { type: 'Int', value: 3 } });
});

test('parameter defaults may be expressions over other parameters, newGuid() and utcNow()', () => {
  const t = subTemplate({
    parameters: {
      a: { type: 'string', defaultValue: "[concat(parameters('b'), '-x')]" },
      b: { type: 'string', defaultValue: 'base' },
      g: { type: 'string', defaultValue: '[newGuid()]' },
      n: { type: 'string', defaultValue: "[utcNow('u')]" },
      d: { type: 'string', defaultValue: '[utcNow()]' },
    },
    outputs: { o: { type: 'array', value: "[createArray(parameters('a'), parameters('g'), parameters('n'), parameters('d'))]" } },
  });
  assert.deepEqual(plan(t).evaluateOutputs(runtime).o?.value, ['base-x', '99999999-9999-4999-8999-999999999999', '2026-03-04 05:06:07Z', '20260304T050607Z']);
  rejects(() => plan(subTemplate({ parameters: { a: { type: 'string', defaultValue: "[variables('v')]" } }, variables: { v: 'x' } })), 'parameters.a.defaultValue', /'variables' is not expected/);
  rejects(
    () => plan(subTemplate({ parameters: { a: { type: 'string', defaultValue: "[parameters('b')]" }, b: { type: 'string', defaultValue: "[parameters('a')]" } } })),
    'parameters.b.defaultValue',
    /circular reference/,
  );
});

test('variables: objects, copy variables, and cycles', () => {
  const t = subTemplate({
    variables: {
      plan: { name: "[concat('p', '1')]", nested: ['[add(1, 1)]'] },
      copy: [{ name: 'disks', count: 3, input: { lun: "[copyIndex('disks', 10)]" } }],
    },
    outputs: { p: { type: 'object', value: "[variables('plan')]" }, d: { type: 'array', value: "[variables('disks')]" } },
  });
  const out = plan(t).evaluateOutputs(runtime);
  assert.deepEqual(out.p?.value, { name: 'p1', nested: [2] });
  assert.deepEqual(out.d?.value, [{ lun: 10 }, { lun: 11 }, { lun: 12 }]);
  rejects(() => plan(subTemplate({ variables: { a: "[variables('b')]", b: "[variables('a')]" } })), 'variables.b', /refers to itself through a circular reference/);
  rejects(() => plan(subTemplate({ variables: { copy: [{ name: 'x', count: 801, input: 1 }] } })), 'variables.copy[0].count', /from 0 to 800/);
});

test('copy loops expand with copyIndex, offsets and loop names; count 0 gives nothing', () => {
  const t = subTemplate({
    parameters: { rgs: { type: 'array' } },
    resources: [
      res('Microsoft.Resources/resourceGroups', "[concat('rg-', parameters('rgs')[copyIndex()].rgName, '-', copyIndex(1))]", {
        location: 'westeurope',
        copy: { name: 'rgLoop', count: "[length(parameters('rgs'))]" },
        properties: { n: "[copyIndex('rgLoop')]" },
      }),
      res(DEF, "[concat('none', copyIndex())]", { copy: { name: 'empty', count: 0 } }),
    ],
  });
  const p = plan(t, { rgs: [{ rgName: 'a' }, { rgName: 'b' }] });
  assert.deepEqual(
    p.steps.map((s) => [s.resourceId, s.body.properties, s.copy?.index]),
    [
      [`${S}/resourceGroups/rg-a-1`, { n: 0 }, 0],
      [`${S}/resourceGroups/rg-b-2`, { n: 1 }, 1],
    ],
  );
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'x', { copy: { name: 'l', count: 801 } })] })), 'resources[0].copy.count', /from 0 to 800/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'x', { copy: { count: 1 } })] })), 'resources[0].copy', /needs a 'name'/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'x', { copy: { name: 'l', count: 1, mode: 'sideways' } })] })), 'resources[0].copy.mode', /'Parallel' or 'Serial'/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, "[concat('x', copyIndex())]", { copy: { name: 'l', count: 2, mode: 'serial', batchSize: 0 } })] })), 'resources[0].copy.batchSize', /positive integer/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'same', { copy: { name: 'l', count: 2 } })] })), 'resources[0]', /defined multiple times/);
});

test('serial copy loops wait for the previous batch', () => {
  const t = subTemplate({ resources: [res(DEF, "[concat('d', copyIndex())]", { copy: { name: 'l', count: 5, mode: 'Serial', batchSize: 2 } })] });
  const id = (k: number) => `${S}/providers/${DEF}/d${k}`;
  assert.deepEqual(
    plan(t).steps.map((s) => [s.name, [...s.dependsOn].sort()]),
    [
      ['d0', []],
      ['d1', []],
      ['d2', [id(0), id(1)]],
      ['d3', [id(0), id(1)]],
      ['d4', [id(2), id(3)]],
    ],
  );
});

test('conditions skip resources, and dependencies on skipped resources are dropped', () => {
  const t = subTemplate({
    parameters: { deploy: { type: 'bool' } },
    resources: [res(DEF, 'a', { condition: "[parameters('deploy')]" }), res(ASG, 'b', { dependsOn: [`[resourceId('${DEF}', 'a')]`] })],
  });
  assert.deepEqual(plan(t, { deploy: false }).steps.map((s) => [s.name, s.dependsOn]), [['b', []]]);
  assert.deepEqual(plan(t, { deploy: true }).steps.map((s) => [s.name, s.dependsOn]), [
    ['a', []],
    ['b', [`${S}/providers/${DEF}/a`]],
  ]);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'a', { condition: "[concat('y')]" })] })), 'resources[0].condition', /must evaluate to a boolean/);
});

test('dependsOn resolves a full id by type and name: a definition and an assignment share a name', () => {
  const g = 'a284898a-fc04-581d-aca0-047861d06160';
  const t = subTemplate({
    resources: [res(ASG, g, { dependsOn: [`[resourceId('${DEF}/', '${g}')]`], properties: { registrationDefinitionId: `[resourceId('${DEF}/', '${g}')]` } }), res(DEF, g)],
  });
  const steps = plan(t).steps;
  assert.deepEqual(
    steps.map((s) => [s.type, s.dependsOn]),
    [
      [DEF, []],
      [ASG, [`${S}/providers/${DEF}/${g}`]],
    ],
  );
  // The name alone is ambiguous here and must not silently pick one of them.
  rejects(() => plan(subTemplate({ resources: [res(DEF, g), res(ASG, g), res('Microsoft.X/y', 'z', { dependsOn: [g] })] })), 'resources[2].dependsOn[0]', /is ambiguous/);
});

test('dependsOn by name, type/name, copy loop name; unknown names and self references fail', () => {
  const t = subTemplate({
    resources: [
      res('Microsoft.Authorization/policyAssignments', 'pa', { dependsOn: ['pd', 'Microsoft.Authorization/policyDefinitions/pd2', 'loop'] }),
      res('Microsoft.Authorization/policyDefinitions', 'pd'),
      res('Microsoft.Authorization/policyDefinitions', 'pd2'),
      res(DEF, "[concat('l', copyIndex())]", { copy: { name: 'loop', count: 2 } }),
    ],
  });
  const steps = plan(t).steps;
  assert.equal(steps[steps.length - 1]?.name, 'pa');
  assert.deepEqual(steps[steps.length - 1]?.dependsOn.length, 4);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'a', { dependsOn: ['ghost'] })] })), 'resources[0].dependsOn[0]', /The resource 'ghost' is not defined in the template/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'a', { dependsOn: [`[resourceId('${DEF}', 'a')]`] })] })), 'resources[0].dependsOn[0]', /cannot reference itself/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'a', { dependsOn: [1] })] })), 'resources[0].dependsOn[0]', /must be strings/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'a', { dependsOn: "[reference('x')]" })] })), 'resources[0].dependsOn', /must be an array/);
});

test('dependency cycles are detected and named', () => {
  const t = subTemplate({ resources: [res(DEF, 'a', { dependsOn: ['c'] }), res(ASG, 'b', { dependsOn: ['a'] }), res('Microsoft.X/y', 'c', { dependsOn: ['b'] })] });
  assert.throws(
    () => plan(t),
    (e: unknown) => e instanceof DomainError && e.code === 'InvalidTemplate' && /Circular dependency detected on resource: '.*'\. The cycle is '.*' -> '.*' -> '.*' -> '.*'/.test(e.message),
  );
});

test('body: every other member is evaluated, json(null) omits a property, [[ stays literal', () => {
  const t = subTemplate({
    parameters: { offer: { type: 'string' } },
    variables: { marketplacePlan: { name: 'p', product: 'o', publisher: 'pub', version: '1' } },
    resources: [
      res(DEF, 'a', {
        plan: "[if(equals(parameters('offer'), 'Yes'), variables('marketplacePlan'), json('null'))]",
        location: 'westeurope',
        tags: { t: "[toUpper('x')]" },
        sku: { name: 'S' },
        kind: 'k',
        identity: { type: 'SystemAssigned' },
        comments: 'not in the body',
        properties: { policyRule: { if: { field: "[[parameters('x')]" } }, nothing: "[json('null')]", kept: null },
      }),
    ],
  });
  const yes = plan(t, { offer: 'Yes' }).steps[0]?.body;
  assert.deepEqual(yes, {
    plan: { name: 'p', product: 'o', publisher: 'pub', version: '1' },
    location: 'westeurope',
    tags: { t: 'X' },
    sku: { name: 'S' },
    kind: 'k',
    identity: { type: 'SystemAssigned' },
    properties: { policyRule: { if: { field: "[parameters('x')]" } }, kept: null },
  });
  assert.equal(Object.hasOwn(plan(t, { offer: 'No' }).steps[0]?.body ?? {}, 'plan'), false);
});

test('resource ids: child resources, extension types, scope property, resource groups, segment checks', () => {
  const t = subTemplate({
    $schema: RG_SCHEMA,
    resources: [
      res('Microsoft.Storage/storageAccounts/providers/roleAssignments', 'sa/Microsoft.Authorization/g1'),
      res('Microsoft.Authorization/locks', 'lock', { scope: `${S}/resourceGroups/r/providers/A.B/c/d/` }),
      res('Microsoft.OperationalInsights/workspaces', 'ws', { resources: [res('savedSearches', 's1'), res('Microsoft.OperationalInsights/workspaces/views', 'ws/v1')] }),
    ],
  });
  const steps = plan(t, undefined, 'rg1').steps;
  const RG = `${S}/resourceGroups/rg1/providers`;
  assert.deepEqual(
    steps.map((s) => [s.resourceId, s.type, s.dependsOn]),
    [
      [`${RG}/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Authorization/roleAssignments/g1`, 'Microsoft.Authorization/roleAssignments', []],
      [`${S}/resourceGroups/r/providers/A.B/c/d/providers/Microsoft.Authorization/locks/lock`, 'Microsoft.Authorization/locks', []],
      [`${RG}/Microsoft.OperationalInsights/workspaces/ws`, 'Microsoft.OperationalInsights/workspaces', []],
      [`${RG}/Microsoft.OperationalInsights/workspaces/ws/savedSearches/s1`, 'Microsoft.OperationalInsights/workspaces/savedSearches', [`${RG}/Microsoft.OperationalInsights/workspaces/ws`]],
      [`${RG}/Microsoft.OperationalInsights/workspaces/ws/views/v1`, 'Microsoft.OperationalInsights/workspaces/views', [`${RG}/Microsoft.OperationalInsights/workspaces/ws`]],
    ],
  );
  assert.equal(steps[3]?.templatePath, 'resources[2].resources[0]');
  rejects(() => plan(subTemplate({ resources: [res('Microsoft.Network/virtualNetworks/subnets', 'only-one')] })), 'resources[0].name', /incorrect segment lengths/);
  rejects(() => plan(subTemplate({ $schema: RG_SCHEMA, resources: [res('Microsoft.Resources/resourceGroups', 'x')] }), undefined, 'rg1'), 'resources[0].type', /only be deployed at subscription level/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'x', { scope: 'relative' })] })), 'resources[0].scope', /must be a resource id/);
  rejects(() => plan(subTemplate({ resources: [{ type: DEF, name: 'x' }] })), 'resources[0].apiVersion', /is required/);
});

test('reference() and list*() are deferred, add implicit dependencies and resolve at execution', () => {
  const t = subTemplate({
    resources: [
      res('Microsoft.Authorization/roleAssignments', 'ra', {
        properties: {
          principalId: "[toLower(reference('pa', '2018-05-01', 'Full').identity.principalId)]",
          key: "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'ext'), '2019-06-01').keys[0].value]",
          fixed: 'x',
        },
      }),
      res('Microsoft.Authorization/policyAssignments', 'pa'),
    ],
    outputs: { pid: { type: 'string', value: "[reference(resourceId('Microsoft.Authorization/policyAssignments', 'pa'), '2018-05-01', 'Full').identity.principalId]" } },
  });
  const p = plan(t);
  const ra = p.steps[1];
  assert.equal(p.steps[0]?.name, 'pa');
  assert.equal(ra?.deferred, true);
  assert.deepEqual(ra?.dependsOn, [`${S}/providers/Microsoft.Authorization/policyAssignments/pa`]);
  assert.deepEqual(ra?.body.properties, { principalId: null, key: null, fixed: 'x' });
  assert.deepEqual(ra?.resolveBody(runtime).properties, { principalId: 'principal', key: 'k1', fixed: 'x' });
  assert.equal(p.steps[0]?.resolveBody(runtime), p.steps[0]?.body);
  assert.deepEqual(p.evaluateOutputs(runtime).pid, { type: 'String', value: 'PRINCIPAL' });
  const versions: (string | undefined)[] = [];
  const noVersion = plan(subTemplate({ resources: [res(DEF, 'd'), res(ASG, 'a', { properties: { p: "[reference('d').x]", q: "[reference('/subscriptions/s/providers/A.B/c/other').x]" } })] }));
  noVersion.steps[1]?.resolveBody({ reference: (_id, api) => (versions.push(api), { x: 1 }), list: () => null });
  assert.deepEqual(versions, ['2019-09-01', undefined], 'a template resource is read with its own apiVersion');
  rejects(() => plan(subTemplate({ resources: [res(DEF, "[reference('x').name]")] })), 'resources[0].name', /'reference' is not expected/);
  rejects(() => plan(subTemplate({ resources: [res(DEF, 'a', { properties: { p: "[reference('ghost').x]" } })] })), 'resources[0].properties.p', /the resource 'ghost' is not defined in the template/);
});

test('outputs: types, conditions and copy', () => {
  const t = subTemplate({
    outputs: {
      list: { type: 'array', copy: { count: 2, input: "[concat('item', copyIndex())]" } },
      skipped: { type: 'string', condition: '[false()]', value: 'x' },
      n: { type: 'int', value: '[add(1, 2)]' },
    },
  });
  assert.deepEqual(plan(t).evaluateOutputs(runtime), { list: { type: 'Array', value: ['item0', 'item1'] }, n: { type: 'Int', value: 3 } });
  rejects(() => plan(subTemplate({ outputs: { o: { type: 'int', value: 'x' } } })), 'outputs.o', /expected a value of type 'Int', got 'String'/);
  rejects(() => plan(subTemplate({ outputs: { o: { type: 'date', value: 'x' } } })), 'outputs.o', /needs a type/);
  rejects(() => plan(subTemplate({ outputs: { o: { type: 'string' } } })), 'outputs.o', /needs a value/);
});

const nested = (name: string, template: JsonObject, extra: JsonObject = {}, props: JsonObject = {}): JsonObject => ({
  type: 'Microsoft.Resources/deployments',
  apiVersion: '2018-05-01',
  name,
  ...extra,
  properties: { mode: 'Incremental', template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', parameters: {}, ...template }, ...props },
});

test('nested deployments with outer scope see the parent variables, scope and copy index', () => {
  const t = subTemplate({
    parameters: { rgs: { type: 'array' } },
    variables: { offer: 'Offer' },
    resources: [
      nested(
        "[concat('rgAssignment', copyIndex())]",
        { resources: [res(ASG, "[guid(variables('offer'), parameters('rgs')[copyIndex()])]", { properties: { def: `[resourceId('${DEF}/', 'd')]`, dep: '[deployment().name]' } })] },
        { resourceGroup: "[parameters('rgs')[copyIndex()]]", copy: { name: 'c', count: "[length(parameters('rgs'))]" } },
      ),
    ],
  });
  const steps = plan(t, { rgs: ['east', 'west'] }).steps;
  const east = armGuid(['Offer', 'east']);
  const west = armGuid(['Offer', 'west']);
  assert.deepEqual(
    steps.map((s) => [s.kind, s.resourceId, s.scope, s.deploymentId, s.templatePath]),
    [
      ['deployment', `${S}/resourceGroups/east/providers/Microsoft.Resources/deployments/rgAssignment0`, { subscriptionId: SUB, resourceGroup: 'east' }, `${S}/providers/Microsoft.Resources/deployments/dep1`, 'resources[0]'],
      ['resource', `${S}/resourceGroups/east/providers/${ASG}/${east}`, { subscriptionId: SUB, resourceGroup: 'east' }, `${S}/resourceGroups/east/providers/Microsoft.Resources/deployments/rgAssignment0`, 'resources[0].properties.template.resources[0]'],
      ['deployment', `${S}/resourceGroups/west/providers/Microsoft.Resources/deployments/rgAssignment1`, { subscriptionId: SUB, resourceGroup: 'west' }, `${S}/providers/Microsoft.Resources/deployments/dep1`, 'resources[0]'],
      ['resource', `${S}/resourceGroups/west/providers/${ASG}/${west}`, { subscriptionId: SUB, resourceGroup: 'west' }, `${S}/resourceGroups/west/providers/Microsoft.Resources/deployments/rgAssignment1`, 'resources[0].properties.template.resources[0]'],
    ],
  );
  assert.equal(east, armGuid(['Offer-east']), 'guid() joins its arguments with a dash');
  // Outer scope: resourceId() and deployment() are the parent's.
  assert.deepEqual(steps[1]?.body.properties, { def: `${S}/providers/${DEF}/d`, dep: 'dep1' });
  const info = steps[0]?.nested as NonNullable<PlanStep['nested']>;
  assert.deepEqual([info.expressionScope, info.mode, info.target, info.parameters], ['outer', 'Incremental', { subscriptionId: SUB, resourceGroup: 'east' }, {}]);
  assert.equal(((steps[0]?.body.properties as JsonObject).template as JsonObject).contentVersion, '1.0.0.0');
});

test('nested deployments with inner scope get their own parameters and context', () => {
  const inner = {
    parameters: { who: { type: 'string' } },
    variables: { v: "[concat('inner-', parameters('who'))]" },
    resources: [res('Microsoft.Storage/storageAccounts', "[variables('v')]", { location: '[resourceGroup().location]', properties: { id: "[resourceId('Microsoft.X/y', 'z')]", dep: '[deployment().name]' } })],
    outputs: { o: { type: 'string', value: "[variables('v')]" } },
  };
  const t = subTemplate({
    variables: { v: 'outer' },
    resources: [nested('n1', inner, { subscriptionId: 'sub-2', resourceGroup: 'rg-east' }, { expressionEvaluationOptions: { scope: 'inner' }, parameters: { who: { value: "[variables('v')]" } } })],
  });
  const steps = plan(t).steps;
  assert.equal(steps[1]?.resourceId, '/subscriptions/sub-2/resourceGroups/rg-east/providers/Microsoft.Storage/storageAccounts/inner-outer');
  assert.deepEqual(steps[0]?.nested?.parameters, { who: { type: 'String', value: 'outer' } });
  assert.deepEqual(steps[0]?.nested?.evaluateOutputs(runtime), { o: { type: 'String', value: 'inner-outer' } });
  assert.deepEqual(steps[1]?.body, { location: 'eastus', properties: { id: '/subscriptions/sub-2/resourceGroups/rg-east/providers/Microsoft.X/y/z', dep: 'n1' } });
  assert.deepEqual(steps[0]?.body.properties, {
    expressionEvaluationOptions: { scope: 'inner' },
    parameters: { who: { value: 'outer' } },
    mode: 'Incremental',
    template: { $schema: RG_SCHEMA, contentVersion: '1.0.0.0', ...inner },
  });
  // The inner template cannot see the parent's variables, nor miss its own parameters.
  const noVar = subTemplate({ variables: { v: 'outer' }, resources: [nested('n1', { resources: [res(DEF, "[variables('v')]")] }, { resourceGroup: 'r' }, { expressionEvaluationOptions: { scope: 'inner' } })] });
  rejects(() => plan(noVar), 'resources[0].properties.template.resources[0].name', /the variable 'v' is not defined/);
  const noParam = subTemplate({ resources: [nested('n1', inner, { resourceGroup: 'r' }, { expressionEvaluationOptions: { scope: 'Inner' } })] });
  rejects(() => plan(noParam), 'resources[0].properties.template.parameters.who', /The value for the template parameter 'who' is not provided/);
});

test('nested deployments: targets, and what outer scope forbids', () => {
  const empty = { resources: [res(DEF, 'x')] };
  const ids = (extra: JsonObject, rg?: string) => plan(subTemplate({ $schema: rg ? RG_SCHEMA : SUB_SCHEMA, resources: [nested('n', empty, extra)] }), undefined, rg).steps.map((s) => s.resourceId);
  assert.deepEqual(ids({}), [`${S}/providers/Microsoft.Resources/deployments/n`, `${S}/providers/${DEF}/x`]);
  assert.deepEqual(ids({ subscriptionId: 's2' }), ['/subscriptions/s2/providers/Microsoft.Resources/deployments/n', `/subscriptions/s2/providers/${DEF}/x`]);
  assert.deepEqual(ids({}, 'rg1'), [`${S}/resourceGroups/rg1/providers/Microsoft.Resources/deployments/n`, `${S}/resourceGroups/rg1/providers/${DEF}/x`]);
  assert.deepEqual(ids({ resourceGroup: 'rg2' }, 'rg1'), [`${S}/resourceGroups/rg2/providers/Microsoft.Resources/deployments/n`, `${S}/resourceGroups/rg2/providers/${DEF}/x`]);
  rejects(() => plan(subTemplate({ resources: [nested('n', { parameters: { p: { type: 'string' } } })] })), 'resources[0].properties.template.parameters', /outer expression evaluation scope/);
  rejects(() => plan(subTemplate({ resources: [nested('n', empty, {}, { parameters: { p: { value: 1 } } })] })), 'resources[0].properties.parameters', /outer expression evaluation scope/);
  rejects(() => plan(subTemplate({ resources: [nested('n', empty, {}, { expressionEvaluationOptions: { scope: 'middle' } })] })), 'resources[0].properties.expressionEvaluationOptions.scope', /'inner' or 'outer'/);
  rejects(() => plan(subTemplate({ resources: [nested('n', empty, {}, { mode: 'Partial' })] })), 'resources[0].properties.mode', /'Incremental' or 'Complete'/);
  rejects(() => plan(subTemplate({ resources: [{ ...res('Microsoft.Resources/deployments', 'n'), properties: { templateLink: { uri: 'https://x' } } }] })), 'resources[0].properties.templateLink', /linked template/);
  rejects(() => plan(subTemplate({ resources: [nested('n', { $schema: 'nope' })] })), 'resources[0].properties.template.$schema', /is not supported/);
  const deferredParams = nested('n', empty, {}, { expressionEvaluationOptions: { scope: 'inner' }, parameters: { p: { value: "[reference('d').x]" } } });
  rejects(() => plan(subTemplate({ resources: [deferredParams, res(DEF, 'd')] })), 'resources[0].properties', /cannot be planned before deployment/);
});

test('a nested deployment runs after its dependencies, and its steps follow it', () => {
  const t = subTemplate({
    resources: [
      nested('n', { resources: [res(ASG, 'a')] }, { resourceGroup: 'r', dependsOn: [`[resourceId('${DEF}', 'd')]`] }),
      res(DEF, 'd'),
      res('Microsoft.X/y', 'after', { dependsOn: ['n'] }),
    ],
  });
  assert.deepEqual(
    plan(t).steps.map((s) => s.name),
    ['d', 'n', 'a', 'after'],
  );
});

test('template members are read case-insensitively, as ARM does', () => {
  const t: JsonObject = {
    $SCHEMA: SUB_SCHEMA,
    ContentVersion: '1.0.0.0',
    Parameters: { n: { Type: 'string', DefaultValue: 'x' } },
    Resources: [{ TYPE: DEF, apiversion: '2019-09-01', Name: "[parameters('n')]", Copy: { Name: 'l', Count: 1 }, DependsOn: [], Properties: { a: 1 } }],
    Outputs: { o: { Type: 'string', Value: "[parameters('n')]" } },
  };
  const p = plan(t);
  assert.deepEqual(
    p.steps.map((s) => [s.resourceId, s.apiVersion, s.body]),
    [[`${S}/providers/${DEF}/x`, '2019-09-01', { properties: { a: 1 } }]],
  );
  assert.deepEqual(p.evaluateOutputs(runtime).o, { type: 'String', value: 'x' });
});

test('expressions are checked everywhere up front, also where a false condition skips evaluation', () => {
  const t = subTemplate({ resources: [res(DEF, 'a', { condition: false, properties: { p: "[nope('x')]" } })] });
  rejects(() => plan(t), 'resources[0].properties.p', /the template function 'nope' is not valid/);
  rejects(() => plan(subTemplate({ outputs: { o: { type: 'string', value: "[concat('a']" } } })), 'outputs.o.value', /could not be parsed/);
});

test('resourceGroup() needs the group to exist; list*() actions other than listKeys reach the runtime', () => {
  const t = subTemplate({
    $schema: RG_SCHEMA,
    resources: [res('Microsoft.Web/sites', 'app', { location: '[resourceGroup().location]', properties: { secret: "[listSecrets(resourceId('Microsoft.Web/sites', 'other'), '2020-01-01').action]" } })],
  });
  const steps = plan(t, undefined, 'rg-east').steps;
  assert.equal(steps[0]?.body.location, 'eastus');
  assert.deepEqual(steps[0]?.resolveBody(runtime).properties, { secret: 'listSecrets' });
  assert.throws(() => plan(t, undefined, 'missing-rg'), (e: unknown) => e instanceof DomainError && e.code === 'ResourceGroupNotFound');
});

test('property copy loops build arrays inside resource properties and variables', () => {
  const t = subTemplate({
    variables: { disks: { copy: [{ name: 'list', count: 2, input: "[concat('v', copyIndex('list'))]" }] } },
    resources: [
      res('Microsoft.Compute/virtualMachines', "[concat('vm', copyIndex())]", {
        copy: { name: 'vms', count: 2 },
        properties: {
          storageProfile: { copy: [{ name: 'dataDisks', count: 2, input: { lun: "[copyIndex('dataDisks')]", vm: "[copyIndex('vms')]" } }] },
          policy: { copy: { name: 'not-a-loop' } },
        },
      }),
    ],
    outputs: { v: { type: 'object', value: "[variables('disks')]" } },
  });
  const p = plan(t);
  assert.deepEqual(p.steps[1]?.body.properties, {
    storageProfile: {
      dataDisks: [
        { lun: 0, vm: 1 },
        { lun: 1, vm: 1 },
      ],
    },
    policy: { copy: { name: 'not-a-loop' } },
  });
  assert.deepEqual(p.evaluateOutputs(runtime).v?.value, { list: ['v0', 'v1'] });
  rejects(
    () => plan(subTemplate({ resources: [res(DEF, 'a', { properties: { copy: [{ name: 'x', count: -1, input: 1 }] } })] })),
    'resources[0].properties.copy[0].count',
    /copy count of property 'x' must be an integer from 0 to 800/,
  );
});
