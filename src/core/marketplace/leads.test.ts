import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedLeadDestination, validateLeads } from './leads.js';
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
