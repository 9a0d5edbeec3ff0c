import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonErrorPosition } from './json-error-position.js';

describe('jsonErrorPosition', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', ' [1, -2.5e3, "a\\u00e9\\n", true, false, null, {"x": []}] ', '"s"', '0']) {
      JSON.parse(text);
      assert.equal(jsonErrorPosition(text), undefined, text);
    }
  });

  it('finds the first error of what JSON.parse refuses', () => {
    const cases: [string, number, RegExp][] = [
      ['[1, 2,]', 6, /unexpected ']'/],
      ['{"a": 1,}', 8, /property name/],
      ['{"a" 1}', 5, /expected ':'/],
      ['{"a": 1 "b": 2}', 8, /expected ',' or '}'/],
      ["{'a': 1}", 1, /property name/],
      ['[01]', 2, /expected ',' or ']'/],
      ['"abc', 4, /unterminated string/],
      ['"\\x"', 2, /bad escape/],
      ['{"a": tru}', 6, /unexpected 't'/],
      ['{} x', 3, /after the end/],
      ['', 0, /unexpected end of file/],
      ['[1, // c\n 2]', 4, /unexpected '\/'/],
    ];
    for (const [text, offset, reason] of cases) {
      assert.throws(() => JSON.parse(text), SyntaxError, text);
      const at = jsonErrorPosition(text);
      assert.equal(at?.offset, offset, text);
      assert.match(at?.reason ?? '', reason, text);
    }
  });
});
