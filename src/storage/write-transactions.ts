/**
 * The one way a service writes: `Store.transaction` runs its work SERIALIZABLE on PostgreSQL (SQLite
 * serialises writers by itself) and runs it again when the database refuses it for a concurrent
 * writer. Every check a service makes before writing therefore holds when it commits, on both
 * databases. A refusal by a unique or foreign-key constraint (the schema's own invariants, which
 * back up the services' checks) is retried too: the next run sees the row the other writer
 * committed, and the service's own check answers as ARM would (409 `RoleAssignmentExists` …).
 * Only when retries cannot help does a constraint refusal become a domain error here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { conflict, notFound, type DomainError } from '../core/errors.js';

/** Why the database refused a transaction, when it was a refusal and not a fault. */
export type Refusal = 'concurrent' | 'unique' | 'reference';

/** Attempts before a transaction that keeps losing to concurrent writers gives up. */
const MAX_ATTEMPTS = 60;
/** Constraint refusals are retried this often: a rerun that still breaks the constraint has no check for it. */
const CONSTRAINT_ATTEMPTS = 3;

interface DatabaseError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

const PG_REFUSALS: Readonly<Record<string, Refusal>> = {
  '40001': 'concurrent', // serialization_failure
  '40P01': 'concurrent', // deadlock_detected
  '23505': 'unique', // unique_violation
  '23503': 'reference', // foreign_key_violation
};

/** The kind of refusal `error` is (PostgreSQL SQLSTATE or SQLite result code), undefined for anything else. */
export function refusalOf(error: unknown): Refusal | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as DatabaseError).code;
  if (typeof code !== 'string') return undefined;
  if (code in PG_REFUSALS) return PG_REFUSALS[code];
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'concurrent';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'reference';
  return undefined;
}

// The constraint a refusal names: PostgreSQL says it, SQLite names the table and columns in its message.
function constraintText(error: unknown): string {
  const e = error as DatabaseError;
  return `${typeof e.constraint === 'string' ? e.constraint : ''} ${typeof e.message === 'string' ? e.message : ''}`.toLowerCase();
}

/** The ARM error for a constraint refusal that retrying did not resolve. */
export function constraintError(refusal: 'unique' | 'reference', error: unknown): DomainError {
  const text = constraintText(error);
  if (refusal === 'unique' && text.includes('role_assignments')) return conflict('RoleAssignmentExists', 'The role assignment already exists.', 'name');
  if (refusal === 'reference' && text.includes('registration_')) {
    return text.includes('update or delete on table')
      ? conflict('RegistrationDefinitionInUse', 'The registration definition is used by registration assignments. Delete the assignments first.')
      : notFound('RegistrationDefinitionNotFound', 'The registration definition of the assignment could not be found.');
  }
  return conflict('Conflict', 'The request conflicts with a change made at the same time. Retry the request.');
}

/**
 * Runs `attempt` until it commits: again after a concurrency refusal (with a short random pause,
 * so the writers that collided don't collide again in step) or, a few times, after a constraint
 * refusal. `attempt` must touch nothing but its transaction: it may run more than once.
 */
export async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      if (refusal !== 'concurrent' && n >= CONSTRAINT_ATTEMPTS) throw constraintError(refusal, error);
      if (n >= MAX_ATTEMPTS) throw conflict('Conflict', 'The request kept conflicting with changes made at the same time. Retry the request.');
      await sleep(Math.random() * Math.min(50, 2 * n));
    }
  }
}
