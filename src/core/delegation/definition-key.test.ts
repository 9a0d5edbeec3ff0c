import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignedDefinitionKey, definitionKey } from './definition-key.js';

const SUB = '33333333-3333-4333-8333-333333333333';

describe('definitionKey', () => {
  it('keys a definition by subscription and id in any casing, and an assignment by the definition it names in its own subscription', () => {
    assert.equal(definitionKey(SUB.toUpperCase(), 'D-One'), definitionKey(SUB, 'd-one'));
    assert.notEqual(definitionKey(SUB, 'd-one'), definitionKey('44444444-4444-4444-8444-444444444444', 'd-one'), 'the same name in another subscription is another definition');
    for (const scope of [`/subscriptions/${SUB}`, `/SUBSCRIPTIONS/${SUB}/resourceGroups/rg-web`]) {
      assert.equal(assignedDefinitionKey({ scope, registrationDefinitionId: 'D-ONE' }), definitionKey(SUB, 'd-one'), scope);
    }
  });
});
