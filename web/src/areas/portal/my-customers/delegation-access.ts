/**
 * The roles one delegation grants, read as the provider may read them: the registration assignment
 * with its definition (`$expandRegistrationDefinition=true`), the role names from ARM's role
 * definitions at the delegated scope (which the delegation lets the provider read). Names are
 * fetched once per role.
 */
import { getJson } from '../../../api.ts';
import { grantsOf, type Grant } from '../../../grants.tsx';

type Authorization = Omit<Grant, 'accessType' | 'roleDefinitionName'>;

interface ExpandedAssignment {
  readonly properties: {
    readonly registrationDefinition?: { readonly properties: { readonly authorizations: readonly Authorization[]; readonly eligibleAuthorizations?: readonly Authorization[] } };
  };
}

const roleNames = new Map<string, Promise<string | undefined>>();

function roleName(scope: string, roleDefinitionId: string): Promise<string | undefined> {
  const guid = roleDefinitionId.split('/').pop()!.toLowerCase();
  let name = roleNames.get(guid);
  if (!name) {
    name = getJson<{ properties: { roleName: string } }>(`${scope}/providers/Microsoft.Authorization/roleDefinitions/${encodeURIComponent(guid)}?api-version=2022-04-01`)
      .then((d) => d.properties.roleName, () => undefined);
    roleNames.set(guid, name);
  }
  return name;
}

/** The grants of the delegation `registrationAssignmentId`, role names resolved. */
export async function delegationAccess(registrationAssignmentId: string, signal: AbortSignal): Promise<Grant[]> {
  const assignment = await getJson<ExpandedAssignment>(`${registrationAssignmentId}?api-version=2022-10-01&$expandRegistrationDefinition=true`, signal);
  const definition = assignment.properties.registrationDefinition?.properties ?? { authorizations: [] };
  const scope = registrationAssignmentId.split('/providers/Microsoft.ManagedServices/')[0]!;
  return Promise.all(grantsOf(definition).map(async (g) => {
    const name = await roleName(scope, g.roleDefinitionId);
    return name === undefined ? g : { ...g, roleDefinitionName: name };
  }));
}
