import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePatterns, PermissionMatcher } from './permission-matcher.js';

describe('compilePatterns', () => {
  it('lets * span slashes, anywhere and several times', () => {
    const t = compilePatterns(['Microsoft.CostManagement/*/query/*', '*/read']);
    assert.equal(t('Microsoft.CostManagement/exports/runs/query/action'), true);
    assert.equal(t('Microsoft.Compute/virtualMachines/extensions/read'), true);
    assert.equal(t('Microsoft.Compute/virtualMachines/write'), false);
  });

  it('anchors both ends and treats regex characters literally', () => {
    const t = compilePatterns(['Microsoft.Compute/virtualMachines/read']);
    assert.equal(t('Microsoft.Compute/virtualMachines/read/extra'), false);
    assert.equal(t('xMicrosoft.Compute/virtualMachines/read'), false);
    assert.equal(t('MicrosoftXCompute/virtualMachines/read'), false, 'a dot is not a wildcard');
    assert.equal(compilePatterns(['Microsoft.Compute/*'])('Microsoft.ComputeSchedule/x/read'), false);
  });

  it('matches case-insensitively; an empty list matches nothing', () => {
    assert.equal(compilePatterns(['microsoft.web/sites/restart/Action'])('Microsoft.Web/sites/restart/action'), true);
    assert.equal(compilePatterns([])('anything'), false);
  });

  it('answers as an anchored regular expression would, for every small pattern and action', () => {
    // Every pattern and action of up to 4 characters over {a, b, /, *}: the reference is the regex the matcher replaced.
    const words = (alphabet: string, max: number): string[] => {
      const out = [''];
      for (let n = 0, layer = ['']; n < max; n++) out.push(...(layer = layer.flatMap((w) => [...alphabet].map((c) => w + c))));
      return out;
    };
    const actions = words('ab/', 4);
    for (const pattern of words('ab/*', 4).filter((p) => p !== '*' && p !== '')) {
      const reference = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[/]/g, '\\/')).join('.*')}$`);
      const test = compilePatterns([pattern.toUpperCase()]);
      for (const action of actions) assert.equal(test(action), reference.test(action), `'${pattern}' against '${action}'`);
    }
  });

  it("decides a custom role's many-wildcard pattern against a long action without backtracking", () => {
    // As a backtracking regular expression this pattern never finished against this action (2^30 ways to split it).
    const test = compilePatterns([`Microsoft.Stall/${'a*'.repeat(30)}b`]);
    assert.equal(test(`Microsoft.Stall/${'a'.repeat(200)}`), false);
    assert.equal(test(`Microsoft.Stall/${'a'.repeat(200)}b`), true);
  });
});

describe('PermissionMatcher', () => {
  const block = (actions: string[], notActions: string[] = [], dataActions: string[] = [], notDataActions: string[] = []) => ({ actions, notActions, dataActions, notDataActions });

  it('subtracts NotActions only inside their own block', () => {
    const m = new PermissionMatcher([block(['*'], ['Microsoft.Authorization/*/Write']), block(['Microsoft.Authorization/roleAssignments/write'])]);
    assert.equal(m.matches('Microsoft.Authorization/roleAssignments/write', false), true);
    const single = new PermissionMatcher([block(['*'], ['Microsoft.Authorization/*/Write'])]);
    assert.equal(single.matches('Microsoft.Authorization/roleAssignments/write', false), false);
  });

  it('keeps the control and data planes apart, and caches each per action id', () => {
    const m = new PermissionMatcher([block(['*'], [], ['Microsoft.Storage/*/blobs/read'], ['Microsoft.Storage/x/*'])]);
    const blob = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read';
    assert.equal(m.allows(3, blob, true), true);
    assert.equal(m.allows(3, blob, false), true, 'the control-plane verdict is cached separately');
    assert.equal(m.allows(900, 'Microsoft.Compute/virtualMachines/read', true), false, "'*' in Actions is no data action");
    assert.equal(m.allows(901, 'Microsoft.Storage/x/blobs/read', true), false, 'NotDataActions subtract');
    m.clearCache();
    assert.equal(m.allows(3, 'Microsoft.Compute/virtualMachines/read', true), false, 'after a reset, id 3 is decided afresh');
  });
});
