/**
 * One key per registration definition, in any casing: definitions are named within their
 * subscription, and an assignment names a definition of its own subscription.
 */
import { parseScope } from '../scope.js';
import type { RegistrationAssignment } from './model.js';

/** The key of the definition `id` of subscription `subscriptionId`. */
export function definitionKey(subscriptionId: string, id: string): string {
  return `${subscriptionId}/${id}`.toLowerCase();
}

/** The key of the definition `assignment` names. */
export function assignedDefinitionKey(assignment: Pick<RegistrationAssignment, 'scope' | 'registrationDefinitionId'>): string {
  return definitionKey(parseScope(assignment.scope).subscriptionId ?? '', assignment.registrationDefinitionId);
}
