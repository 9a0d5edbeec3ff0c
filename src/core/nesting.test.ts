import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonNestingDepth } from './nesting.js';

describe('jsonNestingDepth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    assert.equal(jsonNestingDepth('1'), 0);
    assert.equal(jsonNestingDepth('{"a":[{"b":[]}]}'), 4);
    assert.equal(jsonNestingDepth('{"a":"[[[{{{\\"[[["}'), 1);
    assert.equal(jsonNestingDepth('[[],[[]],[]]'), 3);
  });

  it('stops counting once past the limit', () => {
    assert.equal(jsonNestingDepth('['.repeat(100_000), 10), 11);
  });
});
