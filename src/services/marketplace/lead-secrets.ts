/**
 * Lead-destination secrets (client secrets, passwords, storage keys) are never echoed back: views
 * carry a placeholder, and a save that sends the placeholder back keeps the stored value.
 */
import { LEAD_DESTINATION_FORMS, LEAD_SECRET_PLACEHOLDER as SECRET_PLACEHOLDER } from '../../core/marketplace/leads.js';
import type { LeadDestination } from '../../core/marketplace/model.js';

function secretFields(type: LeadDestination['type']): string[] {
  return (LEAD_DESTINATION_FORMS.find((f) => f.type === type)?.fields ?? []).filter((f) => f.secret).map((f) => f.name);
}

/** The destination with every non-empty secret replaced by the placeholder. */
export function maskLeadSecrets(d: LeadDestination): LeadDestination {
  const out: Record<string, unknown> = { ...d };
  for (const name of secretFields(d.type)) if (typeof out[name] === 'string' && out[name] !== '') out[name] = SECRET_PLACEHOLDER;
  return out as unknown as LeadDestination;
}

/** The offer (a draft or a published snapshot) with its lead destination's secrets masked, for any answer that shows it. */
export function withMaskedLeadSecrets<T extends { readonly setup: { readonly customerLeads: LeadDestination } }>(offer: T): T {
  return { ...offer, setup: { ...offer.setup, customerLeads: maskLeadSecrets(offer.setup.customerLeads) } };
}

/**
 * Compare's changes with every secret of the lead destination shown as the placeholder: that a
 * secret was added, removed or edited is shown, never its value.
 */
export function maskSecretChanges<C extends { readonly path: string; readonly before?: unknown; readonly after?: unknown }>(changes: readonly C[], before: LeadDestination, after: LeadDestination): C[] {
  const secrets = new Set([...secretFields(before.type), ...secretFields(after.type)].map((name) => `setup.customerLeads.${name}`));
  const mask = (v: unknown) => (typeof v === 'string' && v !== '' ? SECRET_PLACEHOLDER : v);
  return changes.map((c) => {
    if (!secrets.has(c.path)) return c;
    const out: Record<string, unknown> = { ...c };
    if ('before' in c) out.before = mask(c.before);
    if ('after' in c) out.after = mask(c.after);
    return out as C;
  });
}

/**
 * A configure body with placeholder secrets in its customer-leads resource replaced by the stored
 * ones: of the first of `candidates` (the draft's destination, then the published one) of the same
 * destination type. So an exported resource tree pushed back is read, validated and saved with the
 * secrets it was exported from. Other values are left as they are.
 */
export function restoreIngestionLeadSecrets(body: unknown, candidates: readonly (LeadDestination | undefined)[]): unknown {
  const restore = (r: unknown): unknown => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return r;
    const resource = r as Record<string, unknown>;
    if (typeof resource.$schema !== 'string' || !resource.$schema.includes('/customer-leads/')) return r;
    const stored = candidates.find((d) => d !== undefined && d.type === resource.leadDestination);
    if (stored === undefined) return r;
    const key = `${stored.type}LeadConfiguration`;
    const config = resource[key];
    if (typeof config !== 'object' || config === null || Array.isArray(config)) return r;
    const restored = restoreLeadSecrets({ ...config, type: stored.type } as unknown as LeadDestination, stored) as unknown as Record<string, unknown>;
    const { type: _type, ...fields } = restored;
    return { ...resource, [key]: fields };
  };
  if (Array.isArray(body)) return body.map(restore);
  const resources = typeof body === 'object' && body !== null ? (body as { resources?: unknown }).resources : undefined;
  return Array.isArray(resources) ? { ...(body as object), resources: resources.map(restore) } : body;
}

/** The incoming destination with placeholders replaced by the stored secrets (same destination type only). */
export function restoreLeadSecrets(incoming: LeadDestination, stored: LeadDestination): LeadDestination {
  if (incoming.type !== stored.type) return incoming;
  const out: Record<string, unknown> = { ...incoming };
  const before = stored as unknown as Record<string, unknown>;
  for (const name of secretFields(incoming.type)) if (out[name] === SECRET_PLACEHOLDER) out[name] = before[name];
  return out as unknown as LeadDestination;
}
