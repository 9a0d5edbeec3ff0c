/**
 * The example offer: the product.md "Publish" story's complete managed service offer
 * (contoso-managed-ops, plan gold, manifest 1.0.0), valid with no warnings. `lantern offer init`
 * writes it with the demo world's principals; the tests use it with their own.
 */
import { PNG } from 'pngjs';
import { CONTRIBUTOR, READER, REGISTRATION_ASSIGNMENT_DELETE_ROLE } from '../roles/builtin-catalog.js';
import type { LeadDestination, Offer } from './model.js';

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

/** Where the example offer points: the managing tenant and the three groups its manifest grants, a preview subscription, the lead destination. */
export interface ExamplePrincipals {
  readonly tenantId: string;
  readonly l2Engineers: string;
  readonly l1Support: string;
  readonly offboarding: string;
  /** A subscription of the preview audience. */
  readonly previewSubscription: string;
  readonly customerLeads: LeadDestination;
}

/** The complete offer of the "Publish" story, granting `principals`. */
export function exampleOffer(principals: ExamplePrincipals): Offer {
  const logo = makePng(300, 300);
  const screenshot = makePng(1280, 720);
  return {
    id: 'contoso-managed-ops',
    publisherId: 'contoso',
    alias: 'Contoso Managed Operations',
    setup: { customerLeads: principals.customerLeads },
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
      logos: { large: { fileName: 'logo-300.png', bytes: logo } },
      screenshots: [{ caption: 'Operations dashboard', image: { fileName: 'dashboard.png', bytes: screenshot } }],
      videos: [{ name: 'How it works', url: 'https://www.youtube.com/watch?v=contoso01', thumbnail: { fileName: 'thumb.png', bytes: screenshot } }],
    },
    previewAudience: [{ id: principals.previewSubscription, description: 'Contoso test', type: 'subscription' }],
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
              tenantId: principals.tenantId,
              authorizations: [
                { displayName: 'Contoso L2 Engineers', principalId: principals.l2Engineers, roleDefinitionId: CONTRIBUTOR, accessType: 'active' },
                { displayName: 'Contoso L1 Support', principalId: principals.l1Support, roleDefinitionId: READER, accessType: 'active' },
                { displayName: 'Contoso Offboarding', principalId: principals.offboarding, roleDefinitionId: REGISTRATION_ASSIGNMENT_DELETE_ROLE, accessType: 'active' },
              ],
            },
          ],
        },
      },
    ],
  };
}
