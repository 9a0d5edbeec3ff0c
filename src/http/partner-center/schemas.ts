/**
 * TypeBox schemas of the Partner Center API: request shapes are checked here; the rules of every
 * field are the core's, reported with section, field and rule.
 */
import Type from 'typebox';

export const TAGS = ['Partner Center'];
export const INGESTION_TAGS = ['Product ingestion (configure)'];

const Str = (description?: string) => Type.String(description === undefined ? {} : { description });

export const PublisherParams = Type.Object({ publisherId: Str('Publisher id') });
export const OfferParams = Type.Object({ publisherId: Str('Publisher id'), offerId: Str('Offer id') });
export const PlanParams = Type.Object({ publisherId: Str(), offerId: Str(), planId: Str('Plan id') });
export const MemberParams = Type.Object({ publisherId: Str(), memberId: Str('Object id of a user or service principal of the publisher tenant') });
export const AudienceMemberParams = Type.Object({ publisherId: Str(), offerId: Str(), planId: Type.Optional(Str()), subscriptionId: Str() });
export const IndexParams = Type.Object({ publisherId: Str(), offerId: Str(), index: Type.Integer({ minimum: 0 }) });
export const LogoParams = Type.Object({ publisherId: Str(), offerId: Str(), size: Type.Union([Type.Literal('large'), Type.Literal('medium'), Type.Literal('small')]) });
export const VersionParams = Type.Object({ publisherId: Str(), offerId: Str(), number: Type.Integer({ minimum: 1 }) });
export const IdParams = Type.Object({ id: Str() });

const Contact = Type.Object({ name: Str(), email: Str(), phone: Type.Optional(Str()) });

export const EnrollBody = Type.Object({
  publisherId: Str('3–50 lowercase letters, digits, "-" or "_"'),
  displayName: Str(),
  contacts: Type.Array(Contact),
  tenantId: Type.Optional(Str('Operator only: the tenant to enroll (default: the caller\'s)')),
});
export const RolesBody = Type.Object({ roles: Type.Array(Type.Union([Type.Literal('Owner'), Type.Literal('Manager'), Type.Literal('Developer')])) });
export const Credential = Type.Union([
  Type.Literal('SolutionsPartner:Infrastructure'),
  Type.Literal('SolutionsPartner:Security'),
  Type.Literal('CloudPlatformCompetency:Silver'),
  Type.Literal('CloudPlatformCompetency:Gold'),
  Type.Literal('AzureExpertMsp'),
]);
export const ClaimBody = Type.Object({ credential: Credential, evidence: Str('What the operator checks: designation or partner id') });
export const DecisionParams = Type.Object({ publisherId: Str(), credential: Credential });
export const DecisionBody = Type.Object({ decision: Type.Union([Type.Literal('verified'), Type.Literal('rejected')]) });

export const NewOfferBody = Type.Object({ offerId: Str('Immutable; 3–50 lowercase letters, digits, "-" or "_"'), alias: Str('Partner Center name, never shown to customers') });
// Strict shapes (exact enumerations, strict types, no unknown fields): what is stored must be
// re-readable by every later call, so nothing the core does not know gets in. Values may be empty
// while a draft is edited; the core reports what is missing, per field.
const Texts = Type.Array(Str());
/** The lead destination types, exactly as the ingestion API's `leadDestination` spells them. */
export const LeadDestinationType = Type.Union(
  ['none', 'httpsEndpoint', 'table', 'dynamics', 'salesforce', 'marketo', 'email', 'blob'].map((t) => Type.Literal(t)),
  { description: 'Exactly one of none, httpsEndpoint, table, dynamics, salesforce, marketo, email, blob (case matters)' },
);
export const LeadDestinationInput = Type.Object(
  {
    type: LeadDestinationType,
    contactEmails: Type.Optional(Texts),
    httpsEndpointUrl: Type.Optional(Str()),
    signingSecret: Type.Optional(Str('Lantern: HMAC-SHA256 key that signs each lead (x-lantern-signature)')),
    storageAccountConnectionString: Type.Optional(Str()),
    containerName: Type.Optional(Str()),
    instanceUrl: Type.Optional(Str()),
    authentication: Type.Optional(Type.Union([Type.Literal('azureAD'), Type.Literal('office365')])),
    applicationId: Type.Optional(Str()),
    applicationKey: Type.Optional(Str()),
    directoryId: Type.Optional(Str()),
    username: Type.Optional(Str()),
    password: Type.Optional(Str()),
    objectIdentifier: Type.Optional(Str()),
    munchkinId: Type.Optional(Str()),
    formId: Type.Optional(Str()),
    clientId: Type.Optional(Str()),
    clientSecret: Type.Optional(Str()),
  },
  { additionalProperties: false, description: 'Lead destination: {type, …fields of that type, contactEmails}; see GET /partner-center/lead-destinations' },
);
export const SetupBody = Type.Object({ customerLeads: LeadDestinationInput }, { additionalProperties: false });
const Terms = Type.Union([
  Type.Object({ kind: Type.Literal('text'), text: Str() }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('url'), url: Str() }, { additionalProperties: false }),
]);
export const PropertiesBody = Type.Object(
  {
    categories: Type.Array(Type.Object({ category: Str(), subcategories: Texts }, { additionalProperties: false })),
    terms: Type.Optional(Terms),
  },
  { additionalProperties: false, description: '{categories: [{category, subcategories}], terms?: {kind: text, text} | {kind: url, url}}' },
);
const ListingContact = Type.Object({ name: Str(), email: Str(), phone: Str() }, { additionalProperties: false });
export const ListingBody = Type.Object(
  {
    name: Type.Optional(Str()),
    searchResultsSummary: Type.Optional(Str()),
    shortDescription: Type.Optional(Str()),
    description: Type.Optional(Str('Rich text: only b i br p ul ol li h1…h6')),
    privacyPolicyUrl: Type.Optional(Str()),
    usefulLinks: Type.Optional(Type.Array(Type.Object({ name: Str(), url: Str() }, { additionalProperties: false }))),
    supportContact: Type.Optional(ListingContact),
    engineeringContact: Type.Optional(ListingContact),
    supportUrls: Type.Optional(Type.Object({ azureGlobal: Type.Optional(Str()), azureGovernment: Type.Optional(Str()) }, { additionalProperties: false })),
  },
  { additionalProperties: false, description: 'Offer listing text fields; the ones given replace the stored ones (images have their own routes)' },
);
export const NotesBody = Type.Object({ notes: Str() });
export const Upload = {
  fileName: Str(),
  contentBase64: Str('The PNG file, base64-encoded (its bytes are checked, not its name)'),
};
export const LogoBody = Type.Object(Upload);
export const ScreenshotBody = Type.Object({ ...Upload, caption: Str() });
export const VideoBody = Type.Object({ ...Upload, name: Str(), url: Str('YouTube or Vimeo link') });
export const AudienceMemberBody = Type.Object({ id: Str('Azure subscription id'), description: Type.Optional(Str()) });
export const CsvBody = Type.Object({ csv: Str('CSV with the header Id,Description,Type'), dryRun: Type.Optional(Type.Boolean({ description: 'Only parse and report' })) });
export const NewPlanBody = Type.Object({ planId: Str(), name: Str() });
export const PlanPatch = Type.Object({
  name: Type.Optional(Str()),
  summary: Type.Optional(Str()),
  description: Type.Optional(Str()),
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])),
});
const Authorization = Type.Object(
  {
    displayName: Str(),
    principalId: Str('Object id in the managing tenant'),
    roleDefinitionId: Str('Bare built-in role GUID'),
    accessType: Type.Union([Type.Literal('active'), Type.Literal('eligible')]),
    assignableRoleIds: Type.Optional(Texts),
    justInTime: Type.Optional(Type.Object({
      maximumDuration: Str('ISO-8601 duration, PT30M … PT8H'),
      requireMfa: Type.Boolean(),
      approvers: Type.Array(Type.Object({ principalId: Str(), displayName: Str() }, { additionalProperties: false })),
    }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export const ManifestBody = Type.Object({
  version: Str('n.n.n, higher than the current manifest'),
  tenantId: Type.Optional(Str()),
  authorizations: Type.Optional(Type.Array(Authorization)),
});
export const ManifestEdit = Type.Object({ tenantId: Str(), authorizations: Type.Array(Authorization) });
export const SubmitBody = Type.Object({ notes: Type.Optional(Str('Notes for certification')) });
export const RejectBody = Type.Object({ report: Str('Failure report the publisher reads') });
export const TemplateQuery = Type.Object({
  version: Type.Optional(Str('Manifest version (default: the current one)')),
  target: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('preview'), Type.Literal('live')])),
});
export const RolePickerQuery = Type.Object({ accessType: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('eligible')])) });
export const UsersQuery = Type.Object({ members: Type.Optional(Type.Boolean({ description: 'Only principals holding a Partner Center role in the publisher' })) }, { additionalProperties: false });
export const ActionCenterQuery = Type.Object({ unread: Type.Optional(Type.Boolean()) });
export const JobParams = Type.Object({ jobId: Str() });

export const IngestionVersionQuery = Type.Object({ $version: Type.Optional(Str('Schema version, e.g. 2022-03-01-preview2')), publisherId: Type.Optional(Str('Lantern: the publisher to act for when the caller belongs to several')) });
export const ConfigureBody = Type.Object(
  { $schema: Type.Optional(Str()), resources: Type.Array(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: true, description: 'A configure request: product, customer-leads, property, listing, listing-asset, listing-trailer, price-and-availability-offer, plan, plan-listing, price-and-availability-plan, managed-service-plan-technical-configuration, price-and-availability-update-private-audiences, submission' },
);
export const GuidParams = Type.Object({ guid: Str('GUID part of product/<guid>') });
export const TargetQuery = Type.Object({ targetType: Type.Optional(Str('draft (default), preview or live; quoted values are accepted')), $version: Type.Optional(Str()) });
export const ProductQuery = Type.Object({ externalId: Type.Optional(Str()), externalID: Type.Optional(Str()), $version: Type.Optional(Str()) });
