/**
 * The relational shape shared by both adapters: each table keeps the columns it is queried by
 * and the entity itself as a JSON document in `body`, so SQLite and PostgreSQL share one schema,
 * one set of queries and one migration list.
 */
import type { ColumnType } from 'kysely';

/** A bigint column: read as a string through pg (exact past 2^53), as a number from SQLite. */
type BigIntColumn<Insert = number> = ColumnType<number | string, Insert, Insert>;

export interface Database {
  tenants: { id: string; domain: string; body: string };
  users: { id: string; tenant_id: string; upn: string; body: string };
  groups: { id: string; tenant_id: string; body: string };
  group_members: { group_id: string; member_id: string; member_type: string };
  service_principals: { id: string; app_id: string; tenant_id: string; body: string };
  client_secrets: { id: string; sp_id: string; body: string };
  signing_keys: { kid: string; body: string };
  subscriptions: { id: string; tenant_id: string; body: string };
  resource_groups: { sub_id: string; name: string; body: string };
  /** Migration 0012: `type` and `listing` (the JSON of `resourceListing`), so a list page parses no body. */
  resources: { id: string; sub_id: string; rg: string; type: string; listing: string; body: string };
  provider_registrations: { sub_id: string; namespace: string; body: string };
  role_definitions: { id: string; body: string };
  role_assignments: { id: string; scope: string; sub_id: string | null; principal_id: string | null; role_definition_id: string | null; body: string };
  /** Appended by triggers on role_assignments, never by a query: `seq` is numbered by the database. */
  role_assignment_changes: { seq: BigIntColumn<never>; assignment_id: string };
  /** One saved checkpoint, in parts 0..n-1 that all carry the change it was taken at. */
  role_assignment_checkpoint: { part: number; change: BigIntColumn; data: Uint8Array };
  deny_assignments: { id: string; body: string };
  registration_definitions: { sub_id: string; id: string; body: string };
  registration_assignments: { scope: string; id: string; sub_id: string; definition_id: string; body: string };
  /** Migration 0010: the registration assignment an activation came from (a foreign key). */
  eligible_activations: { id: string; assignment_scope: string; assignment_id: string; body: string };
  activity_log: { event_id: string; tenant_id: string; sub_id: string | null; ts: string; body: string };
  deployments: { id: string; scope: string; name: string; updated_at: string; body: string };
  documents: { collection: string; id: string; partition_key: string; body: string };
  /** Migrations 0008 and 0011: leads and their outbox columns; the lead itself is `body`. */
  leads: {
    id: string; publisher_id: string; offer_id: string; kind: string | null; created_at: string; status: string; destination: string;
    next_attempt_at: string | null; lease_owner: string | null; lease_until: string | null; body: string;
  };
  lead_attempts: { lead_id: string; attempt: number; at: string; body: string };
}

/** Lower-cased key of an ARM id or scope: ARM compares them case-insensitively. */
export const key = (value: string): string => value.toLowerCase();
