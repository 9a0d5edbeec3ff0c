import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalExpression, SUB, TENANT } from './test-context.js';
import { DomainError } from '../errors.js';
import type { JsonObject } from './json.js';

const ev = (expr: string, extra?: Parameters<typeof evalExpression>[1]) => evalExpression(expr, extra);
const fails = (expr: string, pattern: RegExp, extra?: Parameters<typeof evalExpression>[1]) =>
  assert.throws(
    () => ev(expr, extra),
    (e: unknown) =>
      e instanceof DomainError &&
      e.code === 'InvalidTemplate' &&
      e.target === 'outputs.result.value.v' &&
      e.message.includes(`expression '${expr}'`) &&
      pattern.test(e.message),
    `expected ${expr} to fail with ${String(pattern)}`,
  );

test('unknown functions and wrong argument counts are errors, even in an untaken if() branch', () => {
  fails("[nope('x')]", /the template function 'nope' is not valid/);
  fails("[if(true(), 'a', nope())]", /the template function 'nope' is not valid/);
  fails("[toLower('a', 'b')]", /must have exactly 1 parameter/);
  fails('[concat()]', /at least 1/);
  fails("[substring('a')]", /between 2 and 3/);
});

test('function names are case-insensitive', () => {
  assert.equal(ev("[TOLOWER('AbC')]"), 'abc');
  assert.equal(ev("[uniquestring('test')]"), 'rbgf3xv4ufgzg');
});

test('guid() is UUIDv5 in the ARM namespace; several arguments are joined with a dash', () => {
  assert.equal(ev("[guid('test')]"), 'd6a5baf1-8b9b-542a-8525-2982f1f98a0c');
  assert.equal(ev("[guid('Relecloud Managed Services')]"), 'a284898a-fc04-581d-aca0-047861d06160');
  assert.equal(ev("[guid('a', 'b')]"), ev("[guid('a-b')]"));
  assert.notEqual(ev("[guid('a', 'b')]"), ev("[guid('ab')]"));
  fails('[guid(1)]', /expects its parameter to be of type 'String'/);
});

test('uniqueString() matches the published vectors', () => {
  assert.equal(ev("[uniqueString('test')]"), 'rbgf3xv4ufgzg');
  assert.equal(ev("[uniqueString('hello', 'world')]"), 'a7wkljktk6wne');
  assert.equal(ev("[uniqueString('abc')]"), 'cgtzqvhu4i23s');
  assert.equal(ev("[uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg')]"), 'bmg7c6xu4tw46');
  assert.equal(ev("[uniqueString('foo', 'bar', 'baz')]"), 'xzi4ioaxtmth4');
  fails('[uniqueString(createArray())]', /type 'String'/);
});

test('logic and comparison', () => {
  assert.equal(ev("[if(equals(parameters('o'), 'Yes'), 'plan', 'none')]", { parameters: { o: 'Yes' } }), 'plan');
  assert.equal(ev("[equals('abc', 'ABC')]"), false);
  assert.equal(ev('[equals(createArray(1, 2), createArray(1, 2))]'), true);
  assert.equal(ev('[and(true, not(false), or(false, true))]'), true);
  assert.equal(ev("[bool('TRUE')]"), true);
  assert.equal(ev('[bool(0)]'), false);
  assert.equal(ev('[greater(2, 1)]'), true);
  assert.equal(ev("[lessOrEquals('a', 'b')]"), true);
  assert.equal(ev('[greaterOrEquals(1, 1)]'), true);
  assert.equal(ev('[less(2, 1)]'), false);
  assert.equal(ev("[coalesce(null(), json('null'), 'x')]"), 'x');
  fails("[if('yes', 1, 2)]", /type 'Boolean'/);
  fails("[not('x')]", /type 'Boolean'/);
  fails("[greater(1, 'a')]", /two integers or two strings/);
  fails("[bool('maybe')]", /type 'Boolean'/);
});

test('integers', () => {
  assert.equal(ev("[add(int('40'), 2)]"), 42);
  assert.equal(ev('[sub(5, 7)]'), -2);
  assert.equal(ev('[mul(6, 7)]'), 42);
  assert.equal(ev('[div(7, 2)]'), 3);
  assert.equal(ev('[div(-7, 2)]'), -3);
  assert.equal(ev('[mod(7, 3)]'), 1);
  assert.equal(ev('[min(3, 1, 2)]'), 1);
  assert.equal(ev('[max(createArray(3, 9, 2))]'), 9);
  assert.deepEqual(ev('[range(5, 3)]'), [5, 6, 7]);
  fails('[div(1, 0)]', /cannot divide by zero/);
  fails("[int('1.5x')]", /type 'Integer'/);
  fails("[add('1', 2)]", /type 'Integer'/);
  fails('[range(0, 10001)]', /count between 0 and 10000/);
});

test('strings', () => {
  assert.equal(ev("[concat('rgAssignment', 1, '-', true())]"), 'rgAssignment1-True');
  assert.equal(ev("[toUpper('abc')]"), 'ABC');
  assert.deepEqual(ev("[split('a,b;c', createArray(',', ';'))]"), ['a', 'b', 'c']);
  assert.deepEqual(ev("[split('a/b', '/')]"), ['a', 'b']);
  assert.equal(ev("[replace('a-b-c', '-', '')]"), 'abc');
  assert.equal(ev("[format('{0}-{1} {{x}}', 'a', 2)]"), 'a-2 {x}');
  assert.equal(ev("[trim('  x ')]"), 'x');
  assert.equal(ev("[startsWith('Microsoft.X', 'microsoft')]"), true);
  assert.equal(ev("[endsWith('abc', 'BC')]"), true);
  assert.equal(ev("[indexOf('abcABC', 'C')]"), 2);
  assert.equal(ev("[lastIndexOf('abcABC', 'c')]"), 5);
  assert.equal(ev("[substring('one two', 4, 3)]"), 'two');
  assert.equal(ev("[substring('one two', 4)]"), 'two');
  assert.equal(ev("[base64('hi')]"), 'aGk=');
  assert.equal(ev("[base64ToString('aGk=')]"), 'hi');
  assert.equal(ev("[string(createObject('a', 1))]"), '{"a":1}');
  assert.equal(ev('[string(5)]'), '5');
  assert.equal(ev("[uri('https://example.com/a/', 'b.json')]"), 'https://example.com/a/b.json');
  assert.deepEqual(ev('[json(\'{"offer": "No marketplace offer"}\')]'), { offer: 'No marketplace offer' });
  fails("[substring('abc', 2, 5)]", /must refer to a location within the string/);
  fails("[replace('abc', '', 'x')]", /cannot replace an empty string/);
  fails("[format('{0:N2}', 1)]", /unsupported format item/);
  fails("[format('{1}', 'a')]", /no argument for format item/);
  fails("[uri('relative', 'b')]", /absolute base URI/);
  fails("[json('{bad')]", /not valid JSON/);
  fails("[concat('a', createArray(1))]", /cannot mix strings and 'Array'/);
  fails('[toLower(1)]', /type 'String'/);
});

test('arrays and objects', () => {
  assert.deepEqual(ev('[concat(createArray(1), createArray(2, 3))]'), [1, 2, 3]);
  assert.equal(ev("[length(createObject('a', 1, 'b', 2))]"), 2);
  assert.equal(ev("[length('abc')]"), 3);
  assert.equal(ev('[empty(createArray())]'), true);
  assert.equal(ev("[empty('')]"), true);
  assert.equal(ev("[empty(createObject('a', 1))]"), false);
  assert.equal(ev('[first(createArray(1, 2))]'), 1);
  assert.equal(ev("[last('abc')]"), 'c');
  assert.deepEqual(ev('[take(createArray(1, 2, 3), 2)]'), [1, 2]);
  assert.deepEqual(ev("[skip('abcdef', 4)]"), 'ef');
  assert.equal(ev("[contains('OneTwo', 'Two')]"), true);
  assert.equal(ev("[contains(createObject('Key', 1), 'key')]"), true);
  assert.equal(ev('[contains(createArray(1, 2), 3)]'), false);
  assert.deepEqual(ev('[union(createArray(1, 2), createArray(2, 3))]'), [1, 2, 3]);
  assert.deepEqual(ev("[union(createObject('a', createObject('x', 1)), createObject('a', createObject('y', 2), 'b', 3))]"), { a: { x: 1, y: 2 }, b: 3 });
  assert.deepEqual(ev("[array('x')]"), ['x']);
  assert.deepEqual(ev("[items(createObject('b', 2, 'a', 1))]"), [
    { key: 'a', value: 1 },
    { key: 'b', value: 2 },
  ]);
  fails("[createObject('a')]", /even number of arguments/);
  fails("[union(createArray(1), createObject('a', 1))]", /all arrays or all objects/);
  fails('[length(1)]', /type 'Array, Object or String'/);
  fails("[concat(createArray(1), 'x')]", /cannot mix arrays/);
  fails('[first(1)]', /type 'Array or String'/);
  fails("[items('x')]", /type 'Object'/);
});

test('property access and indexing', () => {
  assert.equal(ev("[parameters('o').Inner.NAME]", { parameters: { o: { inner: { name: 'n' } } } }), 'n');
  assert.equal(ev("[parameters('a')[1]]", { parameters: { a: ['x', 'y'] } }), 'y');
  assert.equal(ev("[parameters('o')['k']]", { parameters: { o: { k: 'v' } } }), 'v');
  fails("[parameters('o').missing]", /property 'missing' doesn't exist, available properties are 'k'/, { parameters: { o: { k: 'v' } } });
  fails("[parameters('a')[2]]", /array index '2' is out of bounds/, { parameters: { a: ['x'] } });
  fails("[parameters('a').x]", /not an object/, { parameters: { a: ['x'] } });
});

test('deployment, subscription and resourceGroup come from the context', () => {
  assert.equal(ev('[deployment().name]'), 'dep1');
  assert.equal(ev('[deployment().location]'), 'westeurope');
  const sub = ev('[subscription()]') as JsonObject;
  assert.deepEqual(sub, { id: `/subscriptions/${SUB}`, subscriptionId: SUB, tenantId: TENANT, displayName: 'Contoso Prod', managedByTenants: [{ tenantId: 'mt-1' }] });
  assert.equal(ev('[not(empty(subscription().managedByTenants))]'), true);
  fails('[resourceGroup().location]', /not expected in a subscription-level deployment/);
  assert.throws(() => ev('[subscription().id]', { context: { subscriptionInfo: () => undefined } }), (e: unknown) => e instanceof DomainError && e.code === 'SubscriptionNotFound');
});

test('resource ids at subscription level, with trailing slashes in the type tolerated', () => {
  assert.equal(ev("[resourceId('Microsoft.ManagedServices/registrationDefinitions/', 'g')]"), `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/g`);
  assert.equal(ev("[resourceId('rg1', 'Microsoft.Storage/storageAccounts', 'sa')]"), `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa`);
  assert.equal(ev(`[resourceId('${SUB}', 'Microsoft.Authorization/roleDefinitions', 'r')]`), `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/r`);
  assert.equal(ev("[resourceId('s2', 'rg2', 'Microsoft.Network/virtualNetworks/subnets', 'vn', 'sn')]"), '/subscriptions/s2/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vn/subnets/sn');
  assert.equal(ev("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]"), `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/r`);
  assert.equal(ev("[subscriptionResourceId('s2', 'Microsoft.Authorization/roleDefinitions', 'r')]"), '/subscriptions/s2/providers/Microsoft.Authorization/roleDefinitions/r');
  assert.equal(ev("[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p')]"), '/providers/Microsoft.Authorization/policyDefinitions/p');
  assert.equal(ev("[extensionResourceId('/subscriptions/s/resourceGroups/r/providers/A.B/c/d/', 'Microsoft.Authorization/locks', 'l')]"), '/subscriptions/s/resourceGroups/r/providers/A.B/c/d/providers/Microsoft.Authorization/locks/l');
  fails("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vn')]", /1 resource name\(s\)/);
  fails("[resourceId('noslash', 'x')]", /needs a resource type/);
  fails("[resourceId('a', 'b', 'c', 'Microsoft.X/y', 'n')]", /at most a subscription id and a resource group/);
  fails("[tenantResourceId('x', 'Microsoft.X/y', 'n')]", /type as its first argument/);
});

test('resourceId at resource-group level uses the group', () => {
  const plan = evalRg("[resourceId('Microsoft.Storage/storageAccounts', 'sa')]");
  assert.equal(plan, `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa`);
});

test('newGuid and utcNow only in parameter default values', () => {
  fails('[newGuid()]', /'newGuid' is not expected at this location/);
  fails('[utcNow()]', /'utcNow' is not expected at this location/);
});

test('reference and list functions are not allowed in variables', () => {
  assert.throws(
    () => ev("[variables('v')]", { variables: { v: "[reference('/subscriptions/x/providers/A.B/c/d')]" } }),
    (e: unknown) => e instanceof DomainError && e.target === 'variables.v' && /'reference' is not expected/.test(e.message),
  );
  assert.throws(
    () => ev("[variables('v')]", { variables: { v: "[listKeys('/subscriptions/x/providers/A.B/c/d', '2020-01-01')]" } }),
    (e: unknown) => e instanceof DomainError && /'listKeys' is not expected/.test(e.message),
  );
});

test('copyIndex outside a copy loop is an error', () => {
  fails('[copyIndex()]', /'copyIndex' is not expected/);
  fails("[copyIndex('loop')]", /copy loop 'loop' is not found/);
});

import { planDeployment } from './plan-deployment.js';
import { testContext } from './test-context.js';

function evalRg(expr: string) {
  const plan = planDeployment({
    template: {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [],
      outputs: { r: { type: 'string', value: expr } },
    },
    context: testContext({ resourceGroup: 'rg1' }),
  });
  return plan.evaluateOutputs({ reference: () => null, list: () => null }).r?.value;
}
