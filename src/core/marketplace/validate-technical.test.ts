import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_ROLES, CONTRIBUTOR, OWNER, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, STORAGE_BLOB_DATA_READER, USER_ACCESS_ADMINISTRATOR } from '../roles/builtin-catalog.js';
import { assignableRoles, compareVersions, durationMinutes, pickableRoles } from './validate-technical.js';

const ids = (roles: { id: string }[]): Set<string> => new Set(roles.map((r) => r.id));

describe('role picker', () => {
  it('offers for Active authorizations only roles a delegation accepts, User Access Administrator included', () => {
    const active = ids(pickableRoles(BUILTIN_ROLES, 'active'));
    for (const ok of [CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE, USER_ACCESS_ADMINISTRATOR]) assert.ok(active.has(ok), ok);
    for (const no of [OWNER, STORAGE_BLOB_DATA_READER]) assert.ok(!active.has(no), no);
  });

  it('leaves User Access Administrator out of the Eligible picker', () => {
    const eligible = ids(pickableRoles(BUILTIN_ROLES, 'eligible'));
    assert.ok(eligible.has(CONTRIBUTOR));
    assert.ok(!eligible.has(USER_ACCESS_ADMINISTRATOR));
    assert.ok(!eligible.has(OWNER));
  });

  it('offers as assignable roles any built-in but Owner and User Access Administrator (data roles included, for managed identities)', () => {
    const assignable = ids(assignableRoles(BUILTIN_ROLES));
    assert.ok(assignable.has(CONTRIBUTOR));
    assert.ok(assignable.has(STORAGE_BLOB_DATA_READER));
    assert.ok(!assignable.has(OWNER));
    assert.ok(!assignable.has(USER_ACCESS_ADMINISTRATOR));
  });
});

describe('manifest versions and durations', () => {
  it('compares n.n.n numerically and refuses other forms', () => {
    assert.ok(compareVersions('1.10.0', '1.9.9')! > 0);
    assert.equal(compareVersions('2.0.0', '2.0.0'), 0);
    assert.ok(compareVersions('0.9.0', '1.0.0')! < 0);
    assert.equal(compareVersions('1.0', '1.0.0'), undefined);
    assert.equal(compareVersions('1.0.0-beta', '1.0.0'), undefined);
  });

  it('reads PTnHnM durations only', () => {
    assert.equal(durationMinutes('PT8H'), 480);
    assert.equal(durationMinutes('PT6H30M'), 390);
    assert.equal(durationMinutes('PT30M'), 30);
    assert.equal(durationMinutes('PT'), undefined);
    assert.equal(durationMinutes('P1D'), undefined);
    assert.equal(durationMinutes('8h'), undefined);
  });
});
