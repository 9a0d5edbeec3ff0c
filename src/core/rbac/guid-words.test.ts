import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGuidWords, GuidMap, guidWords, guidWordsAt } from './guid-words.js';

const guid = (n: number) => `0000abcd-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('GUID words', () => {
  it('parses a GUID out of a longer string in any case and formats it back lower-case', () => {
    const text = `x ${guid(0xbeef).toUpperCase()} y`;
    const words = guidWordsAt(text, 2, 38);
    assert.ok(words);
    assert.deepEqual([...words], [0x0000abcd, 0x00004000, 0x80000000, 0xbeef]);
    assert.equal(formatGuidWords(words), guid(0xbeef));
  });

  it('refuses anything that is not 8-4-4-4-12 hex', () => {
    for (const bad of ['', 'not-a-guid', guid(1).slice(1), `${guid(1)}0`, guid(1).replace('-', 'x'), guid(1).replace('a', 'g'), guid(1).replace('a', 'é')]) {
      assert.equal(guidWords(bad), undefined, bad);
    }
  });

  it('maps words to values through growth, and misses what it does not hold', () => {
    const map = new GuidMap();
    for (let i = 0; i < 5000; i++) map.set(guidWords(guid(i * 7919))!, i);
    for (let i = 0; i < 5000; i++) assert.equal(map.get(guidWords(guid(i * 7919))!), i);
    assert.equal(map.get(guidWords(guid(1))!), -1);
  });
});
