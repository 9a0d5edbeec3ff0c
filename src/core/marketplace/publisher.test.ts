import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { certifyOffer, DEFAULT_CERTIFICATION_POLICY } from './certification.js';
import { canDo, memberCanDo, type PartnerCenterRole, type PublisherAction, publisherIneligibility, withMemberRoles } from './publisher.js';
import { contosoOffer, contosoPublisher } from './test-fixtures.js';

describe('Partner Center roles', () => {
  it('follows the documented matrix', () => {
    const actions: PublisherAction[] = ['edit', 'publish', 'seeLeads', 'manageUsers'];
    assert.deepEqual(actions.map((a) => canDo('Owner', a)), [true, true, true, true]);
    assert.deepEqual(actions.map((a) => canDo('Manager', a)), [true, true, true, true]);
    assert.deepEqual(actions.map((a) => canDo('Developer', a)), [true, true, false, false]);
  });

  it('answers for a member by any of their roles, and refuses strangers', () => {
    assert.equal(memberCanDo(contosoPublisher, 'admin', 'manageUsers'), true);
    assert.equal(memberCanDo(contosoPublisher, 'bob', 'publish'), true);
    assert.equal(memberCanDo(contosoPublisher, 'bob', 'seeLeads'), false);
    assert.equal(memberCanDo(contosoPublisher, 'mallory', 'edit'), false);
  });
});

describe('withMemberRoles', () => {
  it('sets, replaces and removes a member’s roles', () => {
    const publisher = contosoPublisher;
    const added = withMemberRoles(publisher, 'new-member', ['Developer', 'Developer']);
    assert.deepEqual(added.find((m) => m.userId === 'new-member')?.roles, ['Developer']);
    assert.equal(withMemberRoles({ ...publisher, members: added }, 'new-member', []).some((m) => m.userId === 'new-member'), false);
  });

  it('refuses an unknown role and leaving the publisher without an Owner, naming the field', () => {
    const publisher = contosoPublisher;
    assert.throws(() => withMemberRoles(publisher, 'x', ['Admin' as PartnerCenterRole]), (e: unknown) => e instanceof Error && /"Admin" is not a Partner Center role/.test(e.message));
    const owners = publisher.members.filter((m) => m.roles.includes('Owner'));
    assert.ok(owners.length >= 1);
    const withoutOthers = { ...publisher, members: owners.slice(0, 1) };
    assert.throws(() => withMemberRoles(withoutOthers, owners[0]!.userId, ['Manager']), (e: unknown) => e instanceof Error && /must keep at least one Owner/.test(e.message) && (e as { target?: string }).target === 'roles');
  });
});

describe('publisher eligibility (policy 700.4)', () => {
  it('accepts today’s designations and the legacy competencies', () => {
    assert.equal(publisherIneligibility(contosoPublisher), undefined);
    for (const c of ['SolutionsPartner:Security', 'CloudPlatformCompetency:Silver', 'CloudPlatformCompetency:Gold', 'AzureExpertMsp'] as const) {
      assert.equal(publisherIneligibility({ ...contosoPublisher, eligibility: [c] }), undefined, c);
    }
  });

  it('refuses unverified, unenrolled and uncredentialed publishers, pointing to ARM templates', () => {
    assert.match(publisherIneligibility({ ...contosoPublisher, verified: false }) ?? '', /not verified/);
    assert.match(publisherIneligibility({ ...contosoPublisher, enrolledInCommercialMarketplace: false }) ?? '', /not enrolled/);
    assert.match(publisherIneligibility({ ...contosoPublisher, eligibility: [] }) ?? '', /Solutions Partner designation.*ARM template/);
  });
});

describe('certifyOffer', () => {
  it('passes the Publish-story offer', () => {
    assert.deepEqual(certifyOffer(contosoOffer(), contosoPublisher, DEFAULT_CERTIFICATION_POLICY), []);
  });

  it('reports each policy-700 finding', () => {
    const offer = contosoOffer();
    const plan = offer.plans[0]!;
    const manifest = plan.technicalConfiguration.manifests[0]!;
    const bad = {
      ...offer,
      publisherId: 'fabrikam',
      setup: { customerLeads: { type: 'none' as const } },
      listing: { ...offer.listing, description: 'Short.', logos: {} },
      plans: [{ ...plan, description: plan.summary, technicalConfiguration: { manifests: [{ ...manifest, authorizations: [{ ...manifest.authorizations[0]!, displayName: manifest.authorizations[0]!.principalId }] }] } }],
    };
    const findings = certifyOffer(bad, { ...contosoPublisher, verified: false }, { requireLeadDestination: true, requireManualApproval: false });
    assert.deepEqual(findings.map((f) => [f.policy, f.field]), [
      ['700.4', 'publisherId'],
      ['700.4', 'publisherId'],
      ['700.4', 'setup.customerLeads'],
      ['700.1', 'listing.description'],
      ['700.3', 'listing.logos.large'],
      ['700.5', 'plans[0].description'],
      ['700.6', 'plans[0].technicalConfiguration.manifests[0].authorizations[0].displayName'],
    ]);
  });
});
