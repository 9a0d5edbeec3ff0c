/**
 * The delegations of a set of subscriptions in two reads, however many there are: every registration
 * definition, and every registration assignment beside the definition it names.
 */
import { assignedDefinitionKey, definitionKey } from '../../core/delegation/definition-key.js';
import type { RegistrationAssignment, RegistrationDefinition } from '../../core/delegation/model.js';
import type { Repositories } from '../../storage/port.js';

export interface DelegationsIn {
  /** Ordered by subscription and id. */
  readonly definitions: readonly RegistrationDefinition[];
  /** Ordered by scope and id; `definition` is undefined for an assignment whose definition is gone. */
  readonly assignments: readonly { readonly assignment: RegistrationAssignment; readonly definition: RegistrationDefinition | undefined }[];
}

/** The definitions and assignments in `subscriptionIds`, each assignment with its definition. */
export async function delegationsIn(repos: Repositories, subscriptionIds: readonly string[]): Promise<DelegationsIn> {
  const [definitions, assignments] = await Promise.all([repos.delegation.listDefinitionsIn(subscriptionIds), repos.delegation.listAssignmentsIn(subscriptionIds)]);
  const byKey = new Map(definitions.map((d) => [definitionKey(d.subscriptionId, d.id), d]));
  return { definitions, assignments: assignments.map((assignment) => ({ assignment, definition: byKey.get(assignedDefinitionKey(assignment)) })) };
}
