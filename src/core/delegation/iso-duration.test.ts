import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoDuration } from './iso-duration.js';

describe('parseIsoDuration', () => {
  it('reads day, hour, minute and second parts', () => {
    assert.equal(parseIsoDuration('PT8H'), 8 * 3600);
    assert.equal(parseIsoDuration('PT6H30M'), 6 * 3600 + 30 * 60);
    assert.equal(parseIsoDuration('pt30m'), 1800);
    assert.equal(parseIsoDuration('P1DT1S'), 86_401);
    assert.equal(parseIsoDuration('PT0.5S'), 0.5);
  });

  it('rejects what is not a duration', () => {
    for (const text of ['', 'P', 'PT', 'P1DT', '8H', 'PT8', 'PT-1H', 'PT8H ', 'P1W', '08:00:00']) assert.equal(parseIsoDuration(text), undefined, text);
  });
});
