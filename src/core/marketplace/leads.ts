/**
 * Customer-lead destinations: the form each one needs, and its rules. The form is data, so "None" is
 * always on the menu and switching destination starts from clean fields (pain 13: the old portal hid
 * "None" after a wrong pick and kept the fields mandatory).
 */
import type { LeadDestination, LeadDestinationType } from './model.js';
import type { ViolationSink } from './rules.js';
import { isBlank, isEmail, isGuidText, isHttpsUrl } from './text.js';

export interface LeadField {
  /** Property name on the destination (and in the ingestion `<type>LeadConfiguration`). */
  readonly name: string;
  readonly label: string;
  /** Secrets are never echoed back by the API or the portal. */
  readonly secret: boolean;
}

export interface LeadDestinationForm {
  readonly type: LeadDestinationType;
  readonly label: string;
  readonly fields: readonly LeadField[];
  /** Retired destinations stay readable (old offers) but can't be chosen. */
  readonly selectable: boolean;
}

/** What every answer shows instead of a stored lead-destination secret; a save that sends it back keeps the stored one. */
export const LEAD_SECRET_PLACEHOLDER = '********';

const CONTACT: LeadField = { name: 'contactEmails', label: 'Contact email', secret: false };

function field(name: string, label: string, secret = false): LeadField {
  return { name, label, secret };
}

/** Every destination and its fields, in portal order; "None" first and always selectable. */
export const LEAD_DESTINATION_FORMS: readonly LeadDestinationForm[] = [
  { type: 'none', label: 'None', fields: [], selectable: true },
  {
    type: 'httpsEndpoint',
    label: 'HTTPS endpoint',
    fields: [field('httpsEndpointUrl', 'HTTPS endpoint URL'), field('signingSecret', 'Signing secret (HMAC-SHA256)', true), CONTACT],
    selectable: true,
  },
  {
    type: 'table',
    label: 'Azure Table',
    fields: [field('storageAccountConnectionString', 'Storage account connection string', true), CONTACT],
    selectable: true,
  },
  {
    type: 'dynamics',
    label: 'Dynamics 365 Customer Engagement',
    fields: [
      field('instanceUrl', 'Instance URL'),
      field('authentication', 'Authentication (azureAD or office365)'),
      field('applicationId', 'Application (client) ID'),
      field('directoryId', 'Directory ID'),
      field('applicationKey', 'Client secret', true),
      field('username', 'User name'),
      field('password', 'Password', true),
      CONTACT,
    ],
    selectable: true,
  },
  { type: 'salesforce', label: 'Salesforce', fields: [field('objectIdentifier', 'Organization identifier'), CONTACT], selectable: true },
  {
    type: 'marketo',
    label: 'Marketo',
    fields: [field('munchkinId', 'Munchkin ID'), field('formId', 'Form ID'), field('clientId', 'Client ID'), field('clientSecret', 'Client secret', true), CONTACT],
    selectable: true,
  },
  { type: 'email', label: 'Email', fields: [CONTACT], selectable: true },
  {
    type: 'blob',
    label: 'Azure Blob (retired)',
    fields: [field('storageAccountConnectionString', 'Storage account connection string', true), field('containerName', 'Container name'), CONTACT],
    selectable: false,
  },
];

/** The destinations a publisher may pick now; "None" is always among them. */
export function selectableLeadDestinations(): readonly LeadDestinationForm[] {
  return LEAD_DESTINATION_FORMS.filter((f) => f.selectable);
}

/** The known destination type spelled like `type` apart from case ("None" → "none"), if any. */
function knownTypeLike(type: unknown): LeadDestinationType | undefined {
  return typeof type === 'string' ? LEAD_DESTINATION_FORMS.find((f) => f.type.toLowerCase() === type.toLowerCase())?.type : undefined;
}

/**
 * A stored destination as the lead outbox treats it: a type spelled in another case (a stored
 * `"None"`) is that type, so such an offer's leads are kept in Lantern rather than retried for a
 * day against a destination that doesn't exist. Any other unknown type is left for validation to report.
 */
export function storedLeadDestination(d: LeadDestination): LeadDestination {
  const type = knownTypeLike(d.type);
  return type === undefined || type === d.type ? d : ({ ...d, type } as LeadDestination);
}

/** A fresh destination of the given type with empty fields: switching never carries stale values over. */
export function emptyLeadDestination(type: LeadDestinationType): LeadDestination {
  switch (type) {
    case 'none':
      return { type };
    case 'httpsEndpoint':
      return { type, httpsEndpointUrl: '', contactEmails: [] };
    case 'table':
      return { type, storageAccountConnectionString: '', contactEmails: [] };
    case 'dynamics':
      return { type, instanceUrl: '', authentication: 'azureAD', applicationId: '', applicationKey: '', directoryId: '', contactEmails: [] };
    case 'salesforce':
      return { type, objectIdentifier: '', contactEmails: [] };
    case 'marketo':
      return { type, munchkinId: '', formId: '', clientId: '', clientSecret: '', contactEmails: [] };
    case 'email':
      return { type, contactEmails: [] };
    case 'blob':
      return { type, storageAccountConnectionString: '', containerName: '', contactEmails: [] };
  }
}

const SALESFORCE_OID = /^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;
const MUNCHKIN_ID = /^\d{3}-[A-Za-z]{3}-\d{3}$/;

/** Required text fields of a destination, with their labels. */
function requiredFields(d: LeadDestination): [string, string, string][] {
  switch (d.type) {
    case 'none':
    case 'email':
      return [];
    case 'httpsEndpoint':
      return [['httpsEndpointUrl', 'HTTPS endpoint URL', d.httpsEndpointUrl]];
    case 'table':
      return [['storageAccountConnectionString', 'Storage account connection string', d.storageAccountConnectionString]];
    case 'dynamics':
      return d.authentication === 'azureAD'
        ? [
            ['instanceUrl', 'Instance URL', d.instanceUrl],
            ['applicationId', 'Application (client) ID', d.applicationId],
            ['directoryId', 'Directory ID', d.directoryId],
            ['applicationKey', 'Client secret', d.applicationKey],
          ]
        : [
            ['instanceUrl', 'Instance URL', d.instanceUrl],
            ['username', 'User name', d.username],
            ['password', 'Password', d.password],
          ];
    case 'salesforce':
      return [['objectIdentifier', 'Organization identifier', d.objectIdentifier]];
    case 'marketo':
      return [
        ['munchkinId', 'Munchkin ID', d.munchkinId],
        ['formId', 'Form ID', d.formId],
        ['clientId', 'Client ID', d.clientId],
        ['clientSecret', 'Client secret', d.clientSecret],
      ];
    case 'blob':
      return [];
  }
}

/** Checks a connection string has https protocol, account name and key. */
function isTableConnectionString(value: string): boolean {
  const parts = new Map(
    value
      .split(';')
      .filter((p) => p.includes('='))
      .map((p) => [p.slice(0, p.indexOf('=')).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()] as const),
  );
  return parts.get('defaultendpointsprotocol') === 'https' && !isBlank(parts.get('accountname')) && !isBlank(parts.get('accountkey'));
}

/** Validates the customer-leads part of Offer setup. */
export function validateLeads(d: LeadDestination, requireDestination: boolean, sink: ViolationSink): void {
  const base = 'setup.customerLeads';
  if (!LEAD_DESTINATION_FORMS.some((f) => f.type === d.type)) {
    // A stored value no form produces (e.g. "None" from an old file): say what it is, never crash on its missing fields.
    const like = knownTypeLike(d.type);
    sink.error(`${base}.type`, 'leads.destination.unknown', `Lead destination "${String(d.type)}" is not one of ${LEAD_DESTINATION_FORMS.map((f) => f.type).join(', ')}${like === undefined ? '' : ` (the names are case-sensitive: "${like}")`}. Choose the destination again.`);
    return;
  }
  if (d.type === 'none') {
    if (requireDestination) {
      sink.error(`${base}.type`, 'leads.destination.required', 'Connect a lead destination: the certification policy in force requires one to record every customer who acquires the offer.');
    }
    return;
  }
  if (d.type === 'blob') {
    sink.error(`${base}.type`, 'leads.destination.deprecated', 'Azure Blob no longer receives leads (they would be lost). Choose another destination, or None.');
    return;
  }
  for (const [name, label, value] of requiredFields(d)) {
    if (isBlank(value)) sink.error(`${base}.${name}`, 'leads.field.required', `${label} is required for this lead destination (or choose None).`);
  }
  // A placeholder still here had no stored secret of this destination type to stand for (the form was
  // read while another type was saved): kept, it would become the secret itself.
  const fields = d as unknown as Record<string, unknown>;
  for (const f of LEAD_DESTINATION_FORMS.find((form) => form.type === d.type)?.fields ?? []) {
    if (f.secret && fields[f.name] === LEAD_SECRET_PLACEHOLDER) {
      sink.error(`${base}.${f.name}`, 'leads.secret.placeholder', `${f.label} is "${LEAD_SECRET_PLACEHOLDER}", the mask Lantern shows for a stored secret, but no ${f.label.toLowerCase()} of this destination type is stored to keep: enter it again.`);
    }
  }
  d.contactEmails.forEach((email, i) => {
    if (!isEmail(email)) sink.error(`${base}.contactEmails[${i}]`, 'leads.contact-email.format', `Contact email "${email}" is not a valid e-mail address.`);
  });
  switch (d.type) {
    case 'httpsEndpoint':
      if (!isBlank(d.httpsEndpointUrl) && !isHttpsUrl(d.httpsEndpointUrl)) {
        sink.error(`${base}.httpsEndpointUrl`, 'leads.url.https', 'HTTPS endpoint URL must be an absolute https:// URL.');
      }
      if ((d.signingSecret ?? '').length < 16) {
        sink.warn(`${base}.signingSecret`, 'leads.https.signing-secret', 'Set a signing secret of at least 16 characters: each lead is then signed (x-lantern-signature) and your endpoint can refuse leads that did not come from Lantern.');
      }
      break;
    case 'table':
      if (!isBlank(d.storageAccountConnectionString) && !isTableConnectionString(d.storageAccountConnectionString)) {
        sink.error(
          `${base}.storageAccountConnectionString`,
          'leads.table.connection-string',
          'Storage account connection string must look like DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net.',
        );
      }
      break;
    case 'dynamics':
      if (!isBlank(d.instanceUrl) && !isHttpsUrl(d.instanceUrl)) {
        sink.error(`${base}.instanceUrl`, 'leads.url.https', 'Instance URL must be an https:// URL such as https://contoso.crm4.dynamics.com.');
      }
      if (d.authentication === 'azureAD') {
        for (const [name, label, value] of [['applicationId', 'Application (client) ID', d.applicationId], ['directoryId', 'Directory ID', d.directoryId]] as const) {
          if (!isBlank(value) && !isGuidText(value)) sink.error(`${base}.${name}`, 'leads.guid', `${label} must be a GUID.`);
        }
      }
      break;
    case 'salesforce':
      if (!isBlank(d.objectIdentifier) && !SALESFORCE_OID.test(d.objectIdentifier)) {
        sink.error(`${base}.objectIdentifier`, 'leads.salesforce.oid', 'Organization identifier must be the 15 or 18 character "oid" of your Web-to-Lead form (it starts with 00D).');
      }
      break;
    case 'marketo':
      if (!isBlank(d.munchkinId) && !MUNCHKIN_ID.test(d.munchkinId)) {
        sink.error(`${base}.munchkinId`, 'leads.marketo.munchkin-id', 'Munchkin ID must look like 123-ABC-456.');
      }
      if (!isBlank(d.formId) && !/^\d+$/.test(d.formId)) sink.error(`${base}.formId`, 'leads.marketo.form-id', 'Form ID must be a number.');
      break;
    case 'email':
      if (d.contactEmails.length === 0) sink.error(`${base}.contactEmails`, 'leads.field.required', 'Contact email is required for the Email destination (or choose None).');
      break;
  }
}
