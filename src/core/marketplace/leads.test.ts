import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEAD_SECRET_PLACEHOLDER, storedLeadDestination, validateLeads } from './leads.js';
import type { LeadDestination } from './model.js';
import { ViolationSink } from './rules.js';

describe('a stored lead destination of an unknown type', () => {
  const stored = (type: string): LeadDestination => ({ type }) as unknown as LeadDestination;

  it('is reported by validateLeads against setup.customerLeads.type, naming the known spelling, without reading fields it lacks', () => {
    for (const [type, hint] of [['None', /"none"/], ['HTTPSENDPOINT', /"httpsEndpoint"/], ['ftp', /one of none, httpsEndpoint/]] as const) {
      const sink = new ViolationSink('Offer setup');
      validateLeads(stored(type), true, sink);
      assert.deepEqual(sink.violations.map((v) => [v.field, v.rule, v.severity]), [['setup.customerLeads.type', 'leads.destination.unknown', 'error']], type);
      assert.match(sink.violations[0]!.message, hint);
    }
  });

  it('is, for the lead outbox, the known type spelled alike ("None" keeps leads in Lantern); anything else stays as stored', () => {
    assert.deepEqual(storedLeadDestination(stored('None')), { type: 'none' });
    assert.deepEqual(storedLeadDestination(stored('ftp')), { type: 'ftp' });
    const https: LeadDestination = { type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.example/leads', contactEmails: [] };
    assert.equal(storedLeadDestination(https), https);
  });
});

describe('a lead destination whose secret is the placeholder', () => {
  const violations = (d: LeadDestination) => {
    const sink = new ViolationSink('Offer setup');
    validateLeads(d, true, sink);
    return sink.violations.filter((v) => v.severity === 'error').map((v) => [v.field, v.rule]);
  };

  it('is refused on each secret field that holds it, and only there', () => {
    assert.deepEqual(violations({ type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.example/leads', signingSecret: LEAD_SECRET_PLACEHOLDER, contactEmails: [] }),
      [['setup.customerLeads.signingSecret', 'leads.secret.placeholder']]);
    assert.deepEqual(violations({ type: 'marketo', munchkinId: '123-ABC-456', formId: '7', clientId: LEAD_SECRET_PLACEHOLDER, clientSecret: LEAD_SECRET_PLACEHOLDER, contactEmails: [] }),
      [['setup.customerLeads.clientSecret', 'leads.secret.placeholder']], 'a non-secret field may hold any text its own rules allow');
    assert.deepEqual(violations({ type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.example/leads', signingSecret: `${LEAD_SECRET_PLACEHOLDER}x`.repeat(3), contactEmails: [] }), [],
      'a secret that merely contains asterisks is a secret');
  });
});
