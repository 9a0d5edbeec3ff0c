/**
 * Test support for the marketplace tests: real PNG bytes made with pngjs, the role catalog, and the
 * product.md "Publish" story's complete offer (contoso-managed-ops, plan gold, manifest 1.0.0).
 */
import { PNG } from 'pngjs';
import type { RoleDefinition } from '../rbac/model.js';
import { BUILTIN_ROLES, CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE } from '../roles/builtin-catalog.js';
import type { Offer } from './model.js';
import type { PublisherAccount } from './publisher.js';
import type { ValidationContext } from './validate-offer.js';

const made = new Map<string, Uint8Array>();

/** A real PNG of the given size (a diagonal gradient, so it isn't blank); cached per size. */
export function makePng(width: number, height: number): Uint8Array {
  const key = `${width}x${height}`;
  const cached = made.get(key);
  if (cached !== undefined) return cached;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      png.data[i] = (x * 255) / width;
      png.data[i + 1] = (y * 255) / height;
      png.data[i + 2] = 120;
      png.data[i + 3] = 255;
    }
  }
  const bytes = new Uint8Array(PNG.sync.write(png));
  made.set(key, bytes);
  return bytes;
}

export const CONTOSO_TENANT = '6e1b5f0c-2a3d-4b8e-9c71-0d4f5a6b7c8d';
export const L2_ENGINEERS = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const L1_SUPPORT = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
export const OFFBOARDING = '2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f';
export const CONTOSO_AUTOMATION_SP = '3d4e5f6a-7b8c-4d9e-8f0a-2b3c4d5e6f7a';
export const FABRIKAM_SUBSCRIPTION = '7f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0';
export const CONTOSO_TEST_SUBSCRIPTION = '8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d';

const roles = new Map<string, RoleDefinition>(BUILTIN_ROLES.map((r) => [r.id, r]));

export const contosoPublisher: PublisherAccount = {
  publisherId: 'contoso',
  displayName: 'Contoso Ltd.',
  contacts: [{ name: 'Contoso Admin', email: 'admin@contoso.example', phone: '+1 425 555 0100' }],
  enrolledInCommercialMarketplace: true,
  verified: true,
  eligibility: ['SolutionsPartner:Infrastructure'],
  members: [
    { userId: 'admin', roles: ['Owner'] },
    { userId: 'bob', roles: ['Developer'] },
  ],
};

/** A validation context knowing Lantern's built-in roles and the demo principals. */
export function context(extra: Partial<ValidationContext> = {}): ValidationContext {
  return {
    role: (id) => roles.get(id.toLowerCase()),
    principal: (id) =>
      ({
        [L2_ENGINEERS]: { type: 'Group', securityEnabled: true },
        [L1_SUPPORT]: { type: 'Group', securityEnabled: true },
        [OFFBOARDING]: { type: 'Group', securityEnabled: true },
        [CONTOSO_AUTOMATION_SP]: { type: 'ServicePrincipal' },
      })[id] as ReturnType<NonNullable<ValidationContext['principal']>>,
    ...extra,
  };
}

const LOGO = makePng(300, 300);
const SCREENSHOT = makePng(1280, 720);

/** The complete offer of the "Publish" story: valid, with no warnings. */
export function contosoOffer(): Offer {
  return {
    id: 'contoso-managed-ops',
    publisherId: 'contoso',
    alias: 'Contoso Managed Operations',
    setup: { customerLeads: { type: 'httpsEndpoint', httpsEndpointUrl: 'https://crm.contoso.example/leads', signingSecret: 'contoso-lead-signing-secret', contactEmails: ['sales@contoso.example'] } },
    properties: {
      categories: [
        { category: 'it-and-management-tools', subcategories: ['management-solutions'] },
        { category: 'monitoring-and-diagnostics', subcategories: [] },
      ],
      terms: { kind: 'url', url: 'https://contoso.example/terms' },
    },
    listing: {
      name: 'Contoso Managed Operations',
      searchResultsSummary: 'Round-the-clock operations of your Azure estate by Contoso engineers.',
      shortDescription: 'Contoso runs, patches and monitors your Azure subscriptions through Azure Lighthouse.',
      description: '<p><b>Contoso Managed Operations</b> keeps your Azure estate healthy.</p><ul><li>24×7 monitoring</li><li>Patching</li></ul>',
      privacyPolicyUrl: 'https://contoso.example/privacy',
      usefulLinks: [{ name: 'Service description', url: 'https://contoso.example/managed-ops' }],
      supportContact: { name: 'Contoso Support', email: 'support@contoso.example', phone: '+1 425 555 0101' },
      engineeringContact: { name: 'Contoso Engineering', email: 'engineering@contoso.example', phone: '+1 425 555 0102' },
      supportUrls: { azureGlobal: 'https://contoso.example/support' },
      logos: { large: { fileName: 'logo-300.png', bytes: LOGO } },
      screenshots: [{ caption: 'Operations dashboard', image: { fileName: 'dashboard.png', bytes: SCREENSHOT } }],
      videos: [{ name: 'How it works', url: 'https://www.youtube.com/watch?v=contoso01', thumbnail: { fileName: 'thumb.png', bytes: SCREENSHOT } }],
    },
    previewAudience: [{ id: CONTOSO_TEST_SUBSCRIPTION, description: 'Contoso test', type: 'subscription' }],
    plans: [
      {
        id: 'gold',
        name: 'Gold',
        summary: 'Full operations with L1 and L2 support.',
        description: 'Contoso L2 engineers operate your resources; L1 support watches them; you can offboard at any time.',
        pricing: 'byol',
        visibility: 'public',
        privateAudience: [],
        technicalConfiguration: {
          manifests: [
            {
              version: '1.0.0',
              tenantId: CONTOSO_TENANT,
              authorizations: [
                { displayName: 'Contoso L2 Engineers', principalId: L2_ENGINEERS, roleDefinitionId: CONTRIBUTOR, accessType: 'active' },
                { displayName: 'Contoso L1 Support', principalId: L1_SUPPORT, roleDefinitionId: READER, accessType: 'active' },
                { displayName: 'Contoso Offboarding', principalId: OFFBOARDING, roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE, accessType: 'active' },
              ],
            },
          ],
        },
      },
    ],
  };
}
