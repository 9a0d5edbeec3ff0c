import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventFilter } from './event-filter.js';

const NOW = Date.parse('2026-06-30T12:00:00Z');

describe('parseEventFilter', () => {
  it('reads the time window and the narrowing clauses', () => {
    const f = parseEventFilter("eventTimestamp ge '2026-06-01T00:00:00Z' and eventTimestamp le '2026-06-02T00:00:00Z' and correlationId eq 'c1'", NOW);
    assert.deepEqual(f, { from: '2026-06-01T00:00:00.000Z', to: '2026-06-02T00:00:00.000Z', correlationId: 'c1' });
  });
  it('ends the window now when le is absent', () => {
    assert.equal(parseEventFilter("eventTimestamp ge '2026-06-29T00:00:00Z'", NOW).to, '2026-06-30T12:00:00.000Z');
  });
  it('refuses a filter without a start, a bad time, a reversed or too long window and unknown fields', () => {
    for (const bad of [
      undefined,
      "eventTimestamp le '2026-06-02T00:00:00Z'",
      "eventTimestamp ge 'yesterday'",
      "eventTimestamp ge '2026-06-02T00:00:00Z' and eventTimestamp le '2026-06-01T00:00:00Z'",
      "eventTimestamp ge '2026-01-01T00:00:00Z'",
      "eventTimestamp ge '2026-06-29T00:00:00Z' and operationName eq 'x'",
      "eventTimestamp ge '2026-06-29T00:00:00Z' or caller eq 'x'",
    ]) {
      assert.throws(() => parseEventFilter(bad, NOW), { code: 'BadRequest' }, String(bad));
    }
  });
});
