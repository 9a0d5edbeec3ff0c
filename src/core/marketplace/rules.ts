/**
 * The catalog of offer rules and the shape of a broken rule. Every rule the portal, the CLI and the
 * ingestion API report lives here once, with the sentence that explains it; tests check each one fails.
 */

export type Severity = 'error' | 'warning';

/** The portal page a violation belongs to; plans get one section per plan and one for its manifest. */
export type SectionName =
  | 'Offer setup'
  | 'Properties'
  | 'Offer listing'
  | 'Preview audience'
  | 'Plan overview'
  | `Plans/${string}`;

/** Rule id → what the rule says (the limits come from marketplace.md's validation cheat-sheet). */
export const RULES = {
  'offer.id.format': 'Offer ID: 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.',
  'offer.id.unique': 'Offer ID is unique within the publisher account.',
  'offer.alias.required': 'Offer alias is required.',
  'leads.destination.required': 'A lead destination is required by the certification policy in force.',
  'leads.destination.deprecated': 'Azure Blob is retired as a lead destination: its leads are lost.',
  'leads.destination.unknown': 'A lead destination is one of the known types, spelled as the API spells it.',
  'leads.field.required': 'Every field of the chosen lead destination is required.',
  'leads.secret.placeholder': 'A secret of the lead destination is the mask shown for a stored secret, with no stored secret of its type to keep.',
  'leads.url.https': 'Lead destination URLs use https.',
  'leads.table.connection-string': 'Azure Table needs a full https storage connection string.',
  'leads.guid': 'Application (client) ID and Directory ID are GUIDs.',
  'leads.salesforce.oid': 'Salesforce organization identifier is the 15 or 18 character "oid" of a Web-to-Lead form.',
  'leads.marketo.munchkin-id': 'Marketo Munchkin ID has the form 123-ABC-456.',
  'leads.marketo.form-id': 'Marketo Form ID is a number.',
  'leads.contact-email.format': 'Contact e-mails are valid e-mail addresses.',
  'leads.https.signing-secret': 'An HTTPS endpoint has a signing secret of at least 16 characters, so it can verify each lead came from Lantern.',
  'properties.categories.count': 'Choose 1 to 5 categories.',
  'properties.categories.unknown': 'Categories come from the marketplace taxonomy.',
  'properties.categories.duplicate': 'A category is chosen once.',
  'properties.subcategories.unknown': 'Subcategories belong to their category.',
  'properties.terms.required': 'Terms and conditions are given as text or as a URL.',
  'properties.terms.url': 'The terms and conditions URL is an https URL.',
  'listing.name.required': 'Name is required.',
  'listing.name.length': 'Name is at most 50 characters.',
  'listing.name.emoji': 'Name has no emoji (™ and © are allowed).',
  'listing.search-summary.required': 'Search results summary is required.',
  'listing.search-summary.length': 'Search results summary is at most 100 characters.',
  'listing.search-summary.same-as-name': 'Search results summary should say more than the name.',
  'listing.short-description.required': 'Short description is required.',
  'listing.short-description.length': 'Short description is at most 256 characters.',
  'listing.description.required': 'Description is required.',
  'listing.description.length': 'Description is at most 3,000 characters, tags included.',
  'listing.description.tags': 'Description uses only the tags b, i, br, p, ul, ol, li, h1–h6, without attributes.',
  'listing.privacy-url.required': 'Privacy policy link is required.',
  'listing.url.https': 'Links are absolute https URLs.',
  'listing.useful-link.name': 'Every useful link has a name.',
  'listing.contact.required': 'Support and engineering contacts have a name, an e-mail and a phone number.',
  'listing.contact.email': 'Contact e-mail is a valid e-mail address.',
  'listing.logo.required': 'A large logo is required.',
  'listing.image.png': 'Images are PNG files.',
  'listing.logo.size': 'The large logo is a square PNG between 216×216 and 350×350 pixels.',
  'listing.logo.derived-size': 'A replacement medium logo is 90×90 and a replacement small logo is 48×48 pixels.',
  'listing.screenshots.count': 'At most 5 screenshots.',
  'listing.screenshot.size': 'Screenshots are 1280×720 pixels.',
  'listing.screenshot.caption': 'Every screenshot has a caption.',
  'listing.videos.count': 'At most 5 videos.',
  'listing.video.name': 'Every video has a name.',
  'listing.video.url': 'Videos are YouTube or Vimeo https links.',
  'listing.video.thumbnail-size': 'Video thumbnails are 1280×720 pixels.',
  'audience.preview.required': 'The preview audience has at least one subscription.',
  'audience.preview.count': 'The preview audience has at most 100 subscriptions.',
  'audience.subscription-id': 'Audience members are Azure subscription IDs (GUIDs).',
  'audience.type': 'Managed service audiences are subscription IDs only.',
  'audience.duplicate': 'A subscription is listed once per audience.',
  'plans.required': 'An offer has at least one plan.',
  'plans.private.count': 'An offer has at most 45 private plans.',
  'plans.private-audience.total': 'Private audiences hold at most 10,000 subscriptions across all plans.',
  'plan.id.format': 'Plan ID: 3–50 lowercase letters, digits, "-" or "_", starting with a letter or digit.',
  'plan.id.unique': 'Plan IDs are unique within the offer.',
  'plan.name.required': 'Plan name is required.',
  'plan.name.length': 'Plan name is at most 200 characters.',
  'plan.name.unique': 'Plan names are unique within the offer.',
  'plan.summary.required': 'Plan summary is required.',
  'plan.summary.length': 'Plan summary is at most 100 characters.',
  'plan.description.required': 'Plan description is required.',
  'plan.pricing.byol': 'Managed service plans are Bring your own license (BYOL).',
  'plan.visibility.public-to-private': 'A plan published as public can never become private.',
  'plan.private-audience.required': 'A private plan has at least one subscription in its audience.',
  'plan.private-audience.ignored': 'A public plan ignores its private audience.',
  'manifest.required': 'A plan has a manifest.',
  'manifest.version.format': 'Manifest version has the form n.n.n.',
  'manifest.version.increasing': 'Each new manifest has a higher version than the one before.',
  'manifest.published-immutable': 'A published manifest is never edited: create a new manifest.',
  'manifest.tenant-id': 'Tenant ID is the GUID of the managing tenant.',
  'auth.count': 'A manifest has 1 to 20 authorizations.',
  'auth.active-required': 'A manifest has at least one Active (permanent) authorization.',
  'auth.display-name': 'Every authorization has a display name.',
  'auth.principal-id': 'Principal ID is the object ID (GUID) of a user, security group or service principal.',
  'auth.principal-type': 'Groups in authorizations are security groups.',
  'auth.duplicate': 'The same principal, role and access type appear once.',
  'auth.role.unknown': 'The role is an Azure built-in role Lantern knows.',
  'auth.role.not-allowed': 'The role can be delegated (built-in, not Owner, no data actions, no access-changing actions).',
  'auth.assignable-roles.required': 'User Access Administrator needs at least one assignable role.',
  'auth.assignable-roles.only-uaa': 'Assignable roles only go with User Access Administrator.',
  'auth.assignable-role.not-allowed': 'Assignable roles are built-in roles other than Owner and User Access Administrator.',
  'auth.eligible.duration': 'Eligible maximum duration is between 30 minutes and 8 hours.',
  'auth.eligible.approvers.count': 'An eligible authorization has at most 10 approvers.',
  'auth.eligible.approver-id': 'Approver principal IDs are GUIDs of users or groups.',
  'auth.eligible.service-principal': 'Service principals cannot be eligible or approvers.',
  'auth.eligible.same-role-same-policy': 'Eligible authorizations with the same role share one just-in-time policy.',
  'auth.eligible.needs-active': 'An eligible principal should also hold a permanent Reader-level authorization.',
  'auth.delete-role.missing': 'Without a Registration assignment Delete Role authorization only the customer can remove a delegation.',
} as const satisfies Record<string, string>;

export type RuleId = keyof typeof RULES;

/** One broken rule, located by portal section and field path, in words a publisher understands. */
export interface Violation {
  readonly severity: Severity;
  readonly section: SectionName;
  /** JSON path into the offer, e.g. `plans[0].technicalConfiguration.manifests[0].authorizations[1].roleDefinitionId`. */
  readonly field: string;
  readonly rule: RuleId;
  readonly message: string;
}

/** Collects violations of one section so rule code stays a flat list of checks. */
export class ViolationSink {
  readonly violations: Violation[] = [];
  constructor(private readonly section: SectionName) {}

  /** Records a broken rule as an error. */
  error(field: string, rule: RuleId, message: string): void {
    this.violations.push({ severity: 'error', section: this.section, field, rule, message });
  }

  /** Records a broken recommendation as a warning. */
  warn(field: string, rule: RuleId, message: string): void {
    this.violations.push({ severity: 'warning', section: this.section, field, rule, message });
  }
}
