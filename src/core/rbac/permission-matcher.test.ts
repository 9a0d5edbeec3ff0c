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
