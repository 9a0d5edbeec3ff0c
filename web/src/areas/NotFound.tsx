import { PageHeading } from '../page.tsx';
import { RouteLink } from '../router.tsx';

export function NotFound() {
  return (
    <>
      <PageHeading title="Page not found">The portal has no page at this address.</PageHeading>
      <RouteLink to="/">Go to the start page</RouteLink>
    </>
  );
}
