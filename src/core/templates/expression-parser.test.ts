import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyTemplateString, parseExpression } from './expression-parser.js';
import { ExpressionError } from './template-error.js';

test('a string in brackets is an expression; [[ escapes a literal bracket', () => {
  assert.deepEqual(classifyTemplateString("[parameters('x')]"), { kind: 'expression', source: "parameters('x')" });
  assert.deepEqual(classifyTemplateString("[[parameters('x')]"), { kind: 'literal', text: "[parameters('x')]" });
  assert.deepEqual(classifyTemplateString('[not closed'), { kind: 'literal', text: '[not closed' });
  assert.deepEqual(classifyTemplateString('plain'), { kind: 'literal', text: 'plain' });
});

test('parses calls, literals, property access and indexing', () => {
  assert.deepEqual(parseExpression("parameters('rgs')[copyIndex()].rgName"), {
    kind: 'member',
    name: 'rgName',
    target: {
      kind: 'index',
      target: { kind: 'call', name: 'parameters', args: [{ kind: 'constant', value: 'rgs' }] },
      index: { kind: 'call', name: 'copyIndex', args: [] },
    },
  });
  assert.deepEqual(parseExpression(" concat( 'a''b' , -12, true, null ) "), {
    kind: 'call',
    name: 'concat',
    args: [
      { kind: 'constant', value: "a'b" },
      { kind: 'constant', value: -12 },
      { kind: 'constant', value: true },
      { kind: 'constant', value: null },
    ],
  });
});

test('rejects malformed expressions with the position', () => {
  const bad = (src: string, pattern: RegExp) => assert.throws(() => parseExpression(src), (e: unknown) => e instanceof ExpressionError && pattern.test(e.message));
  bad('', /empty/);
  bad("concat('a'", /expected ',' or '\)'/);
  bad("concat('a)", /unterminated string literal/);
  bad('parameters', /expected '\(' after function name/);
  bad("parameters('x').", /expected a property name/);
  bad("parameters('x')[0", /expected '\]'/);
  bad("concat('a') extra", /unexpected 'e' at position 12/);
  bad('add(1.5, 2)', /only integer literals/);
});

test('caps how deep calls and indexes nest, instead of overflowing the stack', () => {
  assert.doesNotThrow(() => parseExpression(`${'concat('.repeat(60)}'a'${')'.repeat(60)}`));
  for (const deep of [`${'concat('.repeat(5000)}'a'${')'.repeat(5000)}`, `${'concat('.repeat(5000)}`, `x()${'[x()'.repeat(5000)}`]) {
    assert.throws(() => parseExpression(deep), (e: unknown) => e instanceof ExpressionError && /nest more than 64 levels/.test(e.message));
  }
});
