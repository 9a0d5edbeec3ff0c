/**
 * docs/offer-as-code.md lists every offer rule with what it says: the table must be the core's rule
 * catalog exactly (no rule missing, none extra, the same sentence), so a publisher who looks up the
 * rule id an error names reads what the validator means.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/core/marketplace/rules.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'offer-as-code.md'), 'utf8');

/** The rows of the table under "### The rules": rule id → sentence. */
function documentedRules(markdown: string): Map<string, string> {
  const start = markdown.indexOf('### The rules');
  const end = markdown.indexOf('\n## ', start);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)) rows.set(match[1]!, match[2]!.replaceAll('\\|', '|'));
  return rows;
}

describe('the offer rules in docs/offer-as-code.md', () => {
  it('lists every rule of the core with its sentence, and no other', () => {
    const documented = documentedRules(DOC);
    assert.deepEqual([...documented.keys()].sort(), Object.keys(RULES).sort());
    for (const [rule, sentence] of Object.entries(RULES)) assert.equal(documented.get(rule), sentence, rule);
  });

  it('notices a rule the docs lost or reworded', () => {
    const lost = documentedRules(DOC.replace(/^\| `offer\.id\.format` .*\n/m, ''));
    assert.equal(lost.has('offer.id.format'), false);
    const reworded = documentedRules(DOC.replace('| `offer.alias.required` | Offer alias is required. |', '| `offer.alias.required` | Alias optional. |'));
    assert.notEqual(reworded.get('offer.alias.required'), RULES['offer.alias.required']);
  });
});
