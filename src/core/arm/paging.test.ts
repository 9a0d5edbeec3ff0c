import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, decodeSkipToken, encodeSkipToken, pageOf, parseTop } from './paging.js';

const ids = ['c', 'A', 'b', 'e', 'D'];

describe('pageOf', () => {
  it('serves every item once, in key order, across pages', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = pageOf(ids, (x) => x, { pageSize: 2, ...(token ? { skipToken: token } : {}) });
      seen.push(...page.value);
      token = page.skipToken;
      pages++;
    } while (token);
    assert.deepEqual(seen, ['A', 'b', 'c', 'D', 'e']);
    assert.equal(pages, 3);
  });

  it('lets $top set the page size and omits the token on the last page', () => {
    assert.deepEqual(pageOf(ids, (x) => x, { pageSize: 100, top: 5 }), { value: ['A', 'b', 'c', 'D', 'e'] });
    assert.ok(pageOf(ids, (x) => x, { pageSize: 100, top: 4 }).skipToken);
  });

  it('neither repeats nor skips when an earlier item is removed between pages', () => {
    const first = pageOf(ids, (x) => x, { pageSize: 2 });
    const second = pageOf(['c', 'b', 'e', 'D'], (x) => x, { pageSize: 2, skipToken: first.skipToken! });
    assert.deepEqual(second.value, ['c', 'D']);
  });

  it('refuses a token it did not issue', () => {
    assert.throws(() => pageOf(ids, (x) => x, { pageSize: 2, skipToken: 'garbage' }), { code: 'InvalidSkipToken' });
    assert.throws(() => decodeSkipToken(Buffer.from('{"x":1}').toString('base64url')), { code: 'InvalidSkipToken' });
    assert.equal(decodeSkipToken(encodeSkipToken('k')), 'k');
  });
});

describe('parseTop', () => {
  it('accepts 1 … MAX_PAGE_SIZE and absence', () => {
    assert.equal(parseTop(undefined), undefined);
    assert.equal(parseTop('1'), 1);
    assert.equal(parseTop(String(MAX_PAGE_SIZE)), MAX_PAGE_SIZE);
  });
  it('refuses zero, negatives, fractions, words and too many', () => {
    for (const bad of ['0', '-1', '1.5', 'ten', String(MAX_PAGE_SIZE + 1)]) assert.throws(() => parseTop(bad), { code: 'InvalidTopParameter' }, bad);
  });
});
