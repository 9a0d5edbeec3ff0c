import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requireApiVersion, supportedApiVersions } from './api-versions.js';

describe('requireApiVersion', () => {
  it('accepts what the SDK clients send', () => {
    assert.equal(requireApiVersion('Microsoft.Resources/resourceGroups', '2025-04-01'), '2025-04-01'); // @azure/arm-resources 7 and 8
    assert.equal(requireApiVersion('Microsoft.Authorization/roleAssignments', '2022-04-01'), '2022-04-01'); // @azure/arm-authorization 9
    assert.equal(requireApiVersion('Microsoft.Resources/subscriptions', '2022-12-01'), '2022-12-01'); // az CLI
    assert.equal(requireApiVersion('Microsoft.Insights/eventtypes/values', '2015-04-01'), '2015-04-01');
    assert.equal(requireApiVersion('Microsoft.ManagedServices/registrationAssignments', '2019-06-01'), '2019-06-01');
  });

  it('accepts older versions templates use, in any casing', () => {
    assert.equal(requireApiVersion('microsoft.authorization/roleassignments', '2020-04-01-PREVIEW'), '2020-04-01-PREVIEW');
  });

  it('refuses a missing version with MissingApiVersionParameter', () => {
    assert.throws(() => requireApiVersion('Microsoft.Resources/resourceGroups', undefined), {
      code: 'MissingApiVersionParameter',
      message: 'The api-version query parameter (?api-version=) is required for all requests.',
    });
    assert.throws(() => requireApiVersion('Microsoft.Compute/virtualMachines', ''), { code: 'MissingApiVersionParameter' });
  });

  it("refuses an unknown Microsoft.Resources version with InvalidApiVersionParameter listing the supported ones", () => {
    assert.throws(() => requireApiVersion('Microsoft.Resources/resourceGroups', '2099-01-01'), (e: Error & { code: string }) => {
      assert.equal(e.code, 'InvalidApiVersionParameter');
      assert.match(e.message, /^The api-version '2099-01-01' is invalid\. The supported versions are '2025-04-01,2025-03-01,/);
      return true;
    });
  });

  it("refuses an unknown provider version with NoRegisteredProviderFound naming the type", () => {
    assert.throws(() => requireApiVersion('Microsoft.Authorization/roleAssignments', '2099-01-01'), (e: Error & { code: string }) => {
      assert.equal(e.code, 'NoRegisteredProviderFound');
      assert.match(e.message, /API version '2099-01-01' for type 'roleAssignments'\. The supported api-versions are '2022-04-01, /);
      return true;
    });
  });

  it('takes any well-formed version for types Lantern only stores, and refuses malformed ones', () => {
    assert.equal(supportedApiVersions('Microsoft.Compute/virtualMachines'), undefined);
    assert.equal(requireApiVersion('Microsoft.Compute/virtualMachines', '2024-07-01'), '2024-07-01');
    assert.equal(requireApiVersion('Microsoft.Compute/virtualMachines', '2024-07-01-preview'), '2024-07-01-preview');
    assert.throws(() => requireApiVersion('Microsoft.Compute/virtualMachines', 'latest'), { code: 'InvalidApiVersionParameter' });
  });
});
