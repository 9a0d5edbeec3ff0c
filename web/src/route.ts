/** A page of the portal: the paths it answers (`/portal/...`, without a trailing slash) and what it shows. */
import type { ReactNode } from 'react';

export interface Route {
  readonly pattern: RegExp;
  /** The page for a matching path; `params` are the pattern's groups, URI-decoded. */
  render(params: string[]): ReactNode;
}

/** The first route that answers `path`, rendered; undefined when none does. */
export function renderRoute(routes: readonly Route[], path: string): ReactNode | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return route.render(match.slice(1).map((p) => decodeURIComponent(p ?? '')));
  }
  return undefined;
}
