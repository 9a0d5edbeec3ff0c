import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.js';
import { parsePlanFilter, parseTenantFilter } from './managed-services-filter.js';

const T1 = '83abe5cd-bcc3-441a-bd86-e6a75360cecc';
const T2 = 'fbcdd0f3-dc82-4cee-bcde-7301d24e9bf6';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return error;
  }
  assert.fail('expected InvalidFilterInQueryString');
}

describe('ManagedServices $filter', () => {
  it('reads managedByTenantId eq and in, ignoring case and spacing', () => {
    assert.equal(parseTenantFilter(undefined), undefined);
    assert.deepEqual(parseTenantFilter(`managedByTenantId eq '${T1}'`), [T1]);
    assert.deepEqual(parseTenantFilter(`ManagedByTenantId  EQ '${T1}'`), [T1]);
    assert.deepEqual(parseTenantFilter(`managedByTenantId in ('${T1}', '${T2}')`), [T1, T2]);
    assert.deepEqual(parseTenantFilter(`managedByTenantId in ('${T1}')`), [T1]);
  });

  it('refuses other fields, operators and malformed lists with InvalidFilterInQueryString on $filter', () => {
    for (const bad of ["name eq 'x'", `managedByTenantId ne '${T1}'`, `managedByTenantId in ()`, `managedByTenantId in ('${T1}',)`, `managedByTenantId eq ${T1}`, `planIdentifier eq 'a.b'`]) {
      const error = refusal(() => parseTenantFilter(bad));
      assert.equal(error.code, 'InvalidFilterInQueryString', bad);
      assert.equal(error.target, '$filter');
    }
  });

  it('reads planIdentifier eq (with doubled quotes) and refuses anything else', () => {
    assert.equal(parsePlanFilter("planIdentifier eq 'contoso.ops.gold.1.0.0'"), 'contoso.ops.gold.1.0.0');
    assert.equal(parsePlanFilter("planIdentifier eq 'o''brien.ops'"), "o'brien.ops");
    assert.equal(refusal(() => parsePlanFilter(`managedByTenantId eq '${T1}'`)).code, 'InvalidFilterInQueryString');
  });
});
