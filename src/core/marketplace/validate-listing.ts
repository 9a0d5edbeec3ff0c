/** Rules of the Offer listing page: texts, links, contacts, logos, screenshots and videos. */
import { DERIVED_LOGO_SIZES, inspectPng, LARGE_LOGO_MAX, LARGE_LOGO_MIN, SCREENSHOT_SIZE } from './images.js';
import type { Contact, ImageAsset, OfferListing } from './model.js';
import { DESCRIPTION_MAX_LENGTH, DESCRIPTION_TAGS } from './description-tags.js';
import { disallowedMarkup } from './rich-text.js';
import type { RuleId, ViolationSink } from './rules.js';
import { charLength, isBlank, isEmail, isHttpsUrl } from './text.js';

export const NAME_MAX = 50;
export const SEARCH_SUMMARY_MAX = 100;
export const SHORT_DESCRIPTION_MAX = 256;
export const MAX_SCREENSHOTS = 5;
export const MAX_VIDEOS = 5;

// ™ and © are pictographic in Unicode but allowed in names.
const EMOJI = /(?![™©])\p{Extended_Pictographic}/u;
const VIDEO_HOSTS = ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtu.be', 'vimeo.com', 'www.vimeo.com', 'player.vimeo.com'];

function requiredText(sink: ViolationSink, field: string, value: string, label: string, max: number, required: RuleId, length: RuleId): void {
  if (isBlank(value)) sink.error(field, required, `${label} is required.`);
  else if (charLength(value) > max) sink.error(field, length, `${label} is ${charLength(value)} characters; the limit is ${max}.`);
}

function optionalHttps(sink: ViolationSink, field: string, value: string | undefined, label: string): void {
  if (!isBlank(value) && !isHttpsUrl(value ?? '')) sink.error(field, 'listing.url.https', `${label} must be an absolute https:// URL.`);
}

function validateContact(sink: ViolationSink, field: string, contact: Contact, label: string): void {
  for (const part of ['name', 'email', 'phone'] as const) {
    if (isBlank(contact[part])) sink.error(`${field}.${part}`, 'listing.contact.required', `${label} ${part === 'email' ? 'e-mail' : part} is required.`);
  }
  if (!isBlank(contact.email) && !isEmail(contact.email)) {
    sink.error(`${field}.email`, 'listing.contact.email', `${label} e-mail "${contact.email}" is not a valid e-mail address.`);
  }
}

/** Checks the bytes are a PNG of an exact size; reports as `sizeRule` when only the size is wrong. */
function exactPng(sink: ViolationSink, field: string, asset: ImageAsset, label: string, width: number, height: number, sizeRule: RuleId): void {
  const png = inspectPng(asset.bytes);
  if (!png.ok) sink.error(field, 'listing.image.png', `${label} "${asset.fileName}" ${png.reason}; upload a PNG file.`);
  else if (png.width !== width || png.height !== height) {
    sink.error(field, sizeRule, `${label} "${asset.fileName}" is ${png.width}×${png.height} pixels; it must be ${width}×${height}.`);
  }
}

function validateLogos(sink: ViolationSink, logos: OfferListing['logos']): void {
  if (logos.large === undefined) {
    sink.error('listing.logos.large', 'listing.logo.required', `Upload a large logo: a square PNG between ${LARGE_LOGO_MIN}×${LARGE_LOGO_MIN} and ${LARGE_LOGO_MAX}×${LARGE_LOGO_MAX} pixels.`);
  } else {
    const png = inspectPng(logos.large.bytes);
    if (!png.ok) sink.error('listing.logos.large', 'listing.image.png', `Large logo "${logos.large.fileName}" ${png.reason}; upload a PNG file.`);
    else if (png.width !== png.height || png.width < LARGE_LOGO_MIN || png.width > LARGE_LOGO_MAX) {
      sink.error(
        'listing.logos.large',
        'listing.logo.size',
        `Large logo "${logos.large.fileName}" is ${png.width}×${png.height} pixels; it must be square, between ${LARGE_LOGO_MIN}×${LARGE_LOGO_MIN} and ${LARGE_LOGO_MAX}×${LARGE_LOGO_MAX}.`,
      );
    }
  }
  for (const size of ['medium', 'small'] as const) {
    const asset = logos[size];
    const target = DERIVED_LOGO_SIZES[size];
    if (asset !== undefined) exactPng(sink, `listing.logos.${size}`, asset, `${size === 'medium' ? 'Medium' : 'Small'} logo`, target.width, target.height, 'listing.logo.derived-size');
  }
}

function validateMedia(sink: ViolationSink, listing: OfferListing): void {
  const { width, height } = SCREENSHOT_SIZE;
  if (listing.screenshots.length > MAX_SCREENSHOTS) {
    sink.error('listing.screenshots', 'listing.screenshots.count', `${listing.screenshots.length} screenshots; at most ${MAX_SCREENSHOTS} are allowed.`);
  }
  listing.screenshots.forEach((s, i) => {
    const at = `listing.screenshots[${i}]`;
    if (isBlank(s.caption)) sink.error(`${at}.caption`, 'listing.screenshot.caption', `Screenshot ${i + 1} needs a caption.`);
    exactPng(sink, `${at}.image`, s.image, `Screenshot ${i + 1}`, width, height, 'listing.screenshot.size');
  });
  if (listing.videos.length > MAX_VIDEOS) {
    sink.error('listing.videos', 'listing.videos.count', `${listing.videos.length} videos; at most ${MAX_VIDEOS} are allowed.`);
  }
  listing.videos.forEach((v, i) => {
    const at = `listing.videos[${i}]`;
    if (isBlank(v.name)) sink.error(`${at}.name`, 'listing.video.name', `Video ${i + 1} needs a name.`);
    if (!isHttpsUrl(v.url) || !VIDEO_HOSTS.includes(new URL(v.url).hostname.toLowerCase())) {
      sink.error(`${at}.url`, 'listing.video.url', `Video ${i + 1} must be an https link to YouTube or Vimeo.`);
    }
    exactPng(sink, `${at}.thumbnail`, v.thumbnail, `Thumbnail of video ${i + 1}`, width, height, 'listing.video.thumbnail-size');
  });
}

/** Validates the Offer listing page. */
export function validateListing(listing: OfferListing, sink: ViolationSink): void {
  requiredText(sink, 'listing.name', listing.name, 'Name', NAME_MAX, 'listing.name.required', 'listing.name.length');
  if (EMOJI.test(listing.name)) sink.error('listing.name', 'listing.name.emoji', 'Name can’t contain emoji (™ and © are allowed).');
  requiredText(sink, 'listing.searchResultsSummary', listing.searchResultsSummary, 'Search results summary', SEARCH_SUMMARY_MAX, 'listing.search-summary.required', 'listing.search-summary.length');
  if (!isBlank(listing.name) && listing.searchResultsSummary.trim().toLowerCase() === listing.name.trim().toLowerCase()) {
    sink.warn('listing.searchResultsSummary', 'listing.search-summary.same-as-name', 'Search results summary repeats the name; say what the service does.');
  }
  requiredText(sink, 'listing.shortDescription', listing.shortDescription, 'Short description', SHORT_DESCRIPTION_MAX, 'listing.short-description.required', 'listing.short-description.length');
  requiredText(sink, 'listing.description', listing.description, 'Description', DESCRIPTION_MAX_LENGTH, 'listing.description.required', 'listing.description.length');
  const markup = disallowedMarkup(listing.description);
  if (markup.length > 0) {
    sink.error('listing.description', 'listing.description.tags', `Description uses markup that isn't allowed: ${markup.join(', ')}. Allowed tags, without attributes: ${DESCRIPTION_TAGS.join(', ')}.`);
  }
  if (isBlank(listing.privacyPolicyUrl)) sink.error('listing.privacyPolicyUrl', 'listing.privacy-url.required', 'Privacy policy link is required.');
  else optionalHttps(sink, 'listing.privacyPolicyUrl', listing.privacyPolicyUrl, 'Privacy policy link');
  listing.usefulLinks.forEach((l, i) => {
    if (isBlank(l.name)) sink.error(`listing.usefulLinks[${i}].name`, 'listing.useful-link.name', `Useful link ${i + 1} needs a name.`);
    if (!isHttpsUrl(l.url)) sink.error(`listing.usefulLinks[${i}].url`, 'listing.url.https', `Useful link ${i + 1} must be an absolute https:// URL.`);
  });
  validateContact(sink, 'listing.supportContact', listing.supportContact, 'Support contact');
  validateContact(sink, 'listing.engineeringContact', listing.engineeringContact, 'Engineering contact');
  optionalHttps(sink, 'listing.supportUrls.azureGlobal', listing.supportUrls.azureGlobal, 'Azure Global support URL');
  optionalHttps(sink, 'listing.supportUrls.azureGovernment', listing.supportUrls.azureGovernment, 'Azure Government support URL');
  validateLogos(sink, listing.logos);
  validateMedia(sink, listing);
}
