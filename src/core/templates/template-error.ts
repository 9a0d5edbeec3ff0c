/**
 * Template errors: every fault in a template surfaces as a 400 `InvalidTemplate` whose message
 * names the JSON path (and the expression, when one is at fault), with `target` = that path.
 */
import { DomainError } from '../errors.js';

const PREFIX = 'Deployment template validation failed: ';

/**
 * Thrown by the expression language and its functions, which do not know where in the template
 * they run; `atPath` turns it into the contract error once the path and expression are known.
 */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** A template validation error at `path`. */
export function templateError(path: string, message: string): DomainError {
  return new DomainError('invalid', 'InvalidTemplate', `${PREFIX}'${message}'`, { target: path });
}

/** Which part of the template a path points into, in ARM's words (`resource`, `variable`, …). */
function sectionOf(path: string): string {
  const head = path.split(/[.[]/, 1)[0] ?? '';
  switch (head) {
    case 'resources':
      return 'resource';
    case 'variables':
      return 'variable';
    case 'parameters':
      return 'parameter';
    case 'outputs':
      return 'output';
    default:
      return 'property';
  }
}

/** The error for expression `expression` at `path` failing for `reason`. */
function expressionError(path: string, expression: string, reason: string): DomainError {
  const text = reason.endsWith('.') ? reason : `${reason}.`;
  return templateError(path, `The template ${sectionOf(path)} '${path}' expression '${expression}' is not valid: ${text}`);
}

/**
 * Runs `fn`, turning an `ExpressionError` into the contract error for `expression` at `path`.
 * Errors that already are contract errors (raised deeper, e.g. inside a variable) pass unchanged.
 */
export function atPath<T>(path: string, expression: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExpressionError) throw expressionError(path, expression, e.message);
    throw e;
  }
}
