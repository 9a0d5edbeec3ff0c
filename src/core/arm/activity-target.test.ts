import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activityTarget } from './activity-target.js';

describe('activityTarget', () => {
  it('names ARM requests by their RBAC action and scope', () => {
    assert.deepEqual(activityTarget('DELETE', '/subscriptions/s1/resourceGroups/rg'), {
      action: 'Microsoft.Resources/subscriptions/resourceGroups/delete', scope: '/subscriptions/s1/resourceGroups/rg', subscriptionId: 's1',
    });
  });

  it('names Lantern’s own planes as provider resources, with the publisher or subscription that owns them', () => {
    assert.deepEqual(activityTarget('POST', '/partner-center/publishers/contoso/offers/o1/submit'), {
      action: 'Lantern.PartnerCenter/publishers/offers/submit/action', scope: '/providers/Lantern.PartnerCenter/publishers/contoso/offers/o1', publisherId: 'contoso',
    });
    assert.deepEqual(activityTarget('POST', '/partner-center/publishers/contoso/offers'), {
      action: 'Lantern.PartnerCenter/publishers/offers/write', scope: '/providers/Lantern.PartnerCenter/publishers/contoso', publisherId: 'contoso',
    });
    assert.deepEqual(activityTarget('POST', '/rp/product-ingestion/configure', { publisherId: 'contoso' }), { action: 'Lantern.ProductIngestion/configure/action', scope: '/', publisherId: 'contoso' });
    assert.deepEqual(activityTarget('POST', '/marketplace/subscriptions/s1/acquisitions/a1/delegate'), {
      action: 'Lantern.Marketplace/acquisitions/delegate/action', scope: '/subscriptions/s1/providers/Lantern.Marketplace/acquisitions/a1', subscriptionId: 's1',
    });
    assert.deepEqual(activityTarget('POST', '/providers/Lantern.Lighthouse/serviceProviderOffers/x/acceptUpdate'), {
      action: 'Lantern.Lighthouse/serviceProviderOffers/acceptUpdate/action', scope: '/providers/Lantern.Lighthouse/serviceProviderOffers/x',
    });
  });

  it('names nothing outside the planes', () => {
    assert.equal(activityTarget('POST', '/health'), undefined);
  });
});
