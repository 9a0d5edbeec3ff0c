/**
 * The Portal area's left-hand menu, in this order: each section's name, the path it opens, and the
 * pages under it (a resource group's resources) in `paths`.
 */
export const PORTAL_SECTIONS: readonly { readonly name: string; readonly path: string; readonly paths?: readonly string[] }[] = [
  { name: 'Subscriptions', path: '/portal/subscriptions' },
  { name: 'Resource groups', path: '/portal/resource-groups', paths: ['/portal/resources'] },
  { name: 'All resources', path: '/portal/all-resources' },
  { name: 'My roles', path: '/portal/my-roles' },
  { name: 'Activity log', path: '/portal/activity-log' },
  { name: 'Access check', path: '/portal/access-check' },
  { name: 'Service providers', path: '/portal/service-providers' },
  { name: 'My customers', path: '/portal/my-customers' },
];

