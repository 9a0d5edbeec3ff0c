import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { addAudienceMemberByHand, checkAudienceCsv, exportAudienceCsv, importAudienceCsv, MAX_PREVIEW_AUDIENCE, parseAudienceCsv } from './audience.js';
import type { AudienceMember } from './model.js';

const sub = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('audience CSV', () => {
  it('round-trips members, descriptions with commas and quotes included', () => {
    const members: AudienceMember[] = [
      { id: sub(1), description: 'Contoso test, "main"', type: 'subscription' },
      { id: sub(2), type: 'subscription' },
    ];
    const csv = exportAudienceCsv(members);
    assert.equal(csv, `Id,Description,Type\r\n${sub(1)},"Contoso test, ""main""",SubscriptionId\r\n${sub(2)},,SubscriptionId\r\n`);
    assert.deepEqual(parseAudienceCsv(csv), { members, problems: [] });
    assert.equal(exportAudienceCsv([]), 'Id,Description,Type\r\n');
  });

  it('reads LF files with a BOM, columns in any order, and blank lines', () => {
    const parsed = parseAudienceCsv(`\uFEFFType,Id\nSubscriptionId,${sub(3)}\n\n`);
    assert.deepEqual(parsed, { members: [{ id: sub(3), type: 'subscription' }], problems: [] });
  });

  it('reports every bad row by number', () => {
    const parsed = parseAudienceCsv(`Id,Description,Type\nnot-a-guid,,SubscriptionId\n${sub(1)},,TenantId\n${sub(2)},,SubscriptionId\n${sub(2)},,SubscriptionId\n`);
    assert.deepEqual(parsed.problems.map((p) => [p.target, p.code]), [['row 2', 'invalidId'], ['row 3', 'invalidRequest'], ['row 5', 'invalidRequest']]);
    assert.equal(parsed.members.length, 1);
    assert.equal(parseAudienceCsv('Subscription\nx').problems[0]?.target, 'row 1');
  });

  it('imports up to the limit and refuses more, or any bad row', () => {
    const rows = (n: number): string => `Id,Description,Type\n${Array.from({ length: n }, (_, i) => `${sub(i + 1)},,SubscriptionId`).join('\n')}`;
    assert.equal(importAudienceCsv(rows(MAX_PREVIEW_AUDIENCE), MAX_PREVIEW_AUDIENCE).length, 100);
    assert.throws(() => importAudienceCsv(rows(101), MAX_PREVIEW_AUDIENCE), (e: unknown) => e instanceof DomainError && e.code === 'collectionLimitExceeded' && /101/.test(e.message));
    assert.throws(() => importAudienceCsv('Id,Description,Type\nx,,SubscriptionId', 100), (e: unknown) => e instanceof DomainError && e.details.length === 1);
  });

  it('reports the count limit in a dry run as the import would refuse it, with the bad rows', () => {
    const rows = (n: number): string => `Id,Description,Type\n${Array.from({ length: n }, (_, i) => `${sub(i + 1)},,SubscriptionId`).join('\n')}`;
    const fits = checkAudienceCsv(rows(MAX_PREVIEW_AUDIENCE), MAX_PREVIEW_AUDIENCE);
    assert.deepEqual([fits.members.length, fits.limit, fits.withinLimit, fits.problems], [100, 100, true, []]);
    const over = checkAudienceCsv(`${rows(101)}\nnot-a-guid,,SubscriptionId`, MAX_PREVIEW_AUDIENCE);
    assert.deepEqual([over.members.length, over.limit, over.withinLimit], [101, 100, false]);
    assert.deepEqual(over.problems.map((p) => [p.target, p.code]), [['row 103', 'invalidId'], ['csv', 'collectionLimitExceeded']]);
    assert.match(over.problems[1]!.message, /101 subscriptions; at most 100/);
  });
});

describe('addAudienceMemberByHand', () => {
  it('adds up to 10 by hand, then asks for a CSV', () => {
    let list: AudienceMember[] = [];
    for (let i = 1; i <= 10; i++) list = addAudienceMemberByHand(list, sub(i), i === 1 ? 'mine' : undefined);
    assert.equal(list.length, 10);
    assert.deepEqual(list[0], { id: sub(1), description: 'mine', type: 'subscription' });
    assert.throws(() => addAudienceMemberByHand(list, sub(11)), (e: unknown) => e instanceof DomainError && e.kind === 'limit' && /import a CSV/.test(e.message));
  });

  it('refuses non-GUIDs and repeats', () => {
    assert.throws(() => addAudienceMemberByHand([], 'sub-1'), (e: unknown) => e instanceof DomainError && e.code === 'invalidId' && e.target === 'id');
    assert.throws(() => addAudienceMemberByHand([{ id: sub(1), type: 'subscription' }], sub(1).toUpperCase()), /already in the audience/);
  });
});
