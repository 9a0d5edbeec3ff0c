/**
 * Who is signed in and which directory the views show. The directories are ARM's `GET /tenants`:
 * the user's own and, for a service provider, each customer directory reached through a delegation
 * (Azure Lighthouse). The token stays the user's own; choosing a directory narrows what the views list.
 */
import { createContext, useContext } from 'react';
import type { AccountInfo } from '@azure/msal-browser';

export interface Directory {
  readonly tenantId: string;
  readonly displayName?: string;
  readonly defaultDomain?: string;
  /** `Home`, `ProjectedBy` (a customer reached through a delegation) or `ManagedBy` (a provider managing this one). */
  readonly tenantCategory?: string;
}

export interface Session {
  readonly account: AccountInfo;
  readonly directories: readonly Directory[];
  /** The tenant id the views are narrowed to, or `all`. */
  readonly directory: string;
  chooseDirectory(tenantId: string): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in session; the portal renders its pages only inside one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in portal');
  return session;
}

/** A directory's name for people: its display name, else its domain, else its id. */
export function directoryName(directories: readonly Directory[], tenantId: string): string {
  const found = directories.find((d) => d.tenantId === tenantId);
  return found?.displayName ?? found?.defaultDomain ?? tenantId;
}

/** Whether an item of `tenantId` is shown under the chosen directory. */
export function inDirectory(session: Session, tenantId: string | undefined): boolean {
  return session.directory === 'all' || tenantId === session.directory;
}
