/** TypeBox schemas of the storefront, acquisition and Microsoft.MarketplaceOrdering agreement routes. */
import Type from 'typebox';
import { apiVersionParameter } from '../api-version.js';

export const TAGS = ['Marketplace (customer)'];

const Str = (description?: string) => Type.String(description === undefined ? {} : { description });

export const SearchQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Words matched at the start of words of the name, summaries, description and publisher' })),
  category: Type.Optional(Type.String({ maxLength: 100, description: 'A category or subcategory id' })),
  publisher: Type.Optional(Type.String({ maxLength: 50, description: 'Publisher id' })),
  orderby: Type.Optional(Type.Union([Type.Literal('relevance'), Type.Literal('name'), Type.Literal('publisher'), Type.Literal('newest')], { description: 'Default: relevance with a search, name without' })),
  subscriptionId: Type.Optional(Str('One of your subscriptions: show what it may acquire (default: all your subscriptions)')),
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Offers per page (default 20)' })),
  $skiptoken: Type.Optional(Str('From nextLink')),
});
export const OfferIdParams = Type.Object({ offerId: Str('{publisherId}.{offerId}') });
export const OfferPageQuery = Type.Object({ subscriptionId: Type.Optional(Str('One of your subscriptions: show what it may acquire')) });
export const MediaLogoParams = Type.Object({ offerId: Str(), size: Type.Union([Type.Literal('large'), Type.Literal('medium'), Type.Literal('small')]) });
export const MediaIndexParams = Type.Object({ offerId: Str(), index: Type.Integer({ minimum: 0, maximum: 4 }) });

export const SubscriptionParams = Type.Object({ subscriptionId: Str() });
export const AcquisitionParams = Type.Object({ subscriptionId: Str(), acquisitionId: Str() });
export const AcquisitionBody = Type.Object(
  {
    offerId: Str('{publisherId}.{offerId}'),
    planId: Str(),
    version: Type.Optional(Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'The manifest version accepted (default: the current one)' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A name for the offer in Service providers' })),
    acceptLegalTerms: Type.Boolean({ description: 'Must be true: acquiring accepts the legal terms and privacy policy' }),
  },
  { additionalProperties: false },
);
export const ContactMeBody = Type.Object(
  {
    firstName: Type.String({ minLength: 1, maxLength: 100 }),
    lastName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    country: Type.String({ minLength: 2, maxLength: 100, description: 'Country or region (ISO 3166 code or name)' }),
    company: Type.String({ minLength: 1, maxLength: 200 }),
    title: Type.Optional(Type.String({ maxLength: 100, description: 'Job title' })),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'A note to the publisher' })),
    planId: Type.Optional(Type.String({ maxLength: 50, description: 'The plan you ask about' })),
    subscriptionId: Type.Optional(Type.String({ maxLength: 50, description: 'One of your subscriptions' })),
    consent: Type.Boolean({ description: 'Must be true: your details are shared with the publisher of the offer' }),
  },
  { additionalProperties: false },
);
export const DelegateBody = Type.Object(
  { scopes: Type.Array(Type.String({ maxLength: 400 }), { minItems: 1, maxItems: 50, description: '/subscriptions/{id} or /subscriptions/{id}/resourceGroups/{name}' }) },
  { additionalProperties: false },
);

export const AgreementParams = Type.Object({ subscriptionId: Str(), offerType: Str('virtualmachine'), publisherId: Str(), offerId: Str(), planId: Str() });
export const AgreementQuery = Type.Object({ 'api-version': apiVersionParameter('2021-01-01 or 2015-06-01.') });
export const AgreementBody = Type.Object({
  properties: Type.Object({
    accepted: Type.Optional(Type.Boolean()),
    publisher: Type.Optional(Str()),
    product: Type.Optional(Str()),
    plan: Type.Optional(Str()),
    licenseTextLink: Type.Optional(Str()),
    privacyPolicyLink: Type.Optional(Str()),
    marketplaceTermsLink: Type.Optional(Str()),
    retrieveDatetime: Type.Optional(Str()),
    signature: Type.Optional(Str()),
  }),
});
