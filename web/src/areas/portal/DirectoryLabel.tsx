/** Where a subscription lives: its directory's name, marked Delegated when it is not the user's own. */
import { Badge } from '@fluentui/react-components';
import { directoryName, useSession } from '../../session.tsx';

export function DirectoryLabel({ tenantId }: { tenantId: string }) {
  const session = useSession();
  return (
    <>
      {directoryName(session.directories, tenantId)}{' '}
      {tenantId === session.account.tenantId ? null : <Badge appearance="tint" color="brand">Delegated</Badge>}
    </>
  );
}
