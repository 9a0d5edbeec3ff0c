import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplateDocument, parseTemplateJson } from './parse-template-json.js';
import { DomainError } from '../errors.js';

const fails = (text: string, pattern: RegExp) =>
  assert.throws(() => parseTemplateJson(text), (e: unknown) => e instanceof DomainError && e.code === 'InvalidTemplate' && pattern.test(e.message));

test('parses plain JSON values', () => {
  assert.deepEqual(parseTemplateJson('{"a": [1, -2.5e1, true, false, null, "x\\n\\u0041"]}'), { a: [1, -25, true, false, null, 'x\nA'] });
});

test('accepts // and /* */ comments as ARM does', () => {
  const text = '{\n  // a line comment\n  "a": /* inline */ 1,\n  /* block\n comment */ "b": "// not a comment"\n}';
  assert.deepEqual(parseTemplateJson(text), { a: 1, b: '// not a comment' });
});

test('tolerates trailing commas in objects and arrays', () => {
  assert.deepEqual(parseTemplateJson('{"a": [1, 2,], "b": {"c": 1,},}'), { a: [1, 2], b: { c: 1 } });
});

test('skips a UTF-8 byte-order mark', () => {
  assert.deepEqual(parseTemplateJson('\uFEFF{"a": 1}'), { a: 1 });
});

test('reports line and column of a syntax error', () => {
  fails('{\n  "a": 1\n  "b": 2\n}', /expected ',' or '}' at line 3, column 3/);
  fails('{"a": tru}', /unexpected character 't' at line 1, column 7/);
  fails('{"a": "unterminated', /unterminated string at line 1, column 7/);
  fails('{"a": 1} x', /unexpected content after the end/);
  fails('{"a": 1 /* open', /unterminated comment/);
  fails("{'a': 1}", /property name in double quotes/);
  fails('{"a": "bad \\q"}', /bad escape/);
});

test('names the JSON path of the value being parsed as the error target', () => {
  assert.throws(
    () => parseTemplateJson('{"resources": [{"name": nope}]}'),
    (e: unknown) => e instanceof DomainError && e.target === 'resources[0].name',
  );
});

test('records where each value starts', () => {
  const doc = parseTemplateDocument('{\n  "parameters": {\n    "x": { "type": "string" }\n  }\n}');
  assert.deepEqual(doc.positions.get('parameters.x'), { line: 3, column: 10 });
  assert.deepEqual(doc.positions.get(''), { line: 1, column: 1 });
});

test('caps how deep objects and arrays nest, instead of overflowing the stack', () => {
  assert.doesNotThrow(() => parseTemplateJson(`${'['.repeat(60)}${']'.repeat(60)}`));
  fails(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, /nest more than 64 levels deep/);
});
