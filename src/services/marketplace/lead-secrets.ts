/**
 * Lead-destination secrets (client secrets, passwords, storage keys) are never echoed back: views
 * carry a placeholder, and a save that sends the placeholder back keeps the stored value.
 */
import { LEAD_DESTINATION_FORMS } from '../../core/marketplace/leads.js';
import type { LeadDestination } from '../../core/marketplace/model.js';

export const SECRET_PLACEHOLDER = '********';

function secretFields(type: LeadDestination['type']): string[] {
  return (LEAD_DESTINATION_FORMS.find((f) => f.type === type)?.fields ?? []).filter((f) => f.secret).map((f) => f.name);
}

/** The destination with every non-empty secret replaced by the placeholder. */
export function maskLeadSecrets(d: LeadDestination): LeadDestination {
  const out: Record<string, unknown> = { ...d };
  for (const name of secretFields(d.type)) if (typeof out[name] === 'string' && out[name] !== '') out[name] = SECRET_PLACEHOLDER;
  return out as unknown as LeadDestination;
}

/** The incoming destination with placeholders replaced by the stored secrets (same destination type only). */
export function restoreLeadSecrets(incoming: LeadDestination, stored: LeadDestination): LeadDestination {
  if (incoming.type !== stored.type) return incoming;
  const out: Record<string, unknown> = { ...incoming };
  const before = stored as unknown as Record<string, unknown>;
  for (const name of secretFields(incoming.type)) if (out[name] === SECRET_PLACEHOLDER) out[name] = before[name];
  return out as unknown as LeadDestination;
}
