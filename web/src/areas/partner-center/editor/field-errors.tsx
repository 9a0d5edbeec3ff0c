/**
 * The API's words next to the fields: each form asks for the messages of a field path (the core's
 * `Violation.field`, e.g. `listing.supportContact.email`), from the validation of the saved draft and
 * from a refused request (`error.target`/`details`). No rule is repeated in the browser. Whatever no
 * field claimed is listed at the top of the page, so no message is lost.
 */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { FieldProps } from '@fluentui/react-components';
import type { Violation } from '../../../../../src/core/marketplace/rules.ts';
import { ApiError } from '../../../api.ts';

interface Message { readonly text: string; readonly severity: 'error' | 'warning' }

const under = (field: string, path: string) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);

export class FieldErrors {
  private readonly claimed = new Set<Message>();
  private readonly messages: { field: string; message: Message }[];

  /** `section`'s violations, and the refusal `error` with its targets (prefixed by `refusalPath` when local, e.g. `id` of New plan). */
  constructor(violations: readonly Violation[], section: string, error?: unknown, refusalPath = '') {
    this.messages = violations.filter((v) => v.section === section).map((v) => ({ field: v.field, message: { text: v.message, severity: v.severity } }));
    if (error instanceof ApiError) {
      const at = (target: string | undefined) => (target === undefined || target === '' ? '' : `${refusalPath}${target}`);
      if (error.details.length > 0) for (const d of error.details) this.messages.unshift({ field: at(d.target ?? error.target), message: { text: d.message, severity: 'error' } });
      else this.messages.unshift({ field: at(error.target), message: { text: error.message, severity: 'error' } });
    }
  }

  /** Fluent `Field` props showing the messages of `path` and below it. */
  at(path: string): Pick<FieldProps, 'validationMessage' | 'validationState'> {
    const found = this.messages.filter((m) => m.field !== '' && under(m.field, path)).map((m) => m.message);
    if (found.length === 0) return {};
    for (const m of found) this.claimed.add(m);
    return { validationMessage: found.map((m) => m.text).join(' '), validationState: found.some((m) => m.severity === 'error') ? 'error' : 'warning' };
  }

  /** Messages no field showed (rendered after the form, so every `at` has run). */
  unclaimed(): Message[] {
    return this.messages.map((m) => m.message).filter((m) => !this.claimed.has(m));
  }
}

/** The section's messages that belong to no field on the page (a missing plan, a refused request). */
export function OtherProblems({ errors }: { errors: FieldErrors }) {
  const rest = errors.unclaimed();
  if (rest.length === 0) return null;
  const intent = rest.some((m) => m.severity === 'error') ? 'error' : 'warning';
  return (
    <MessageBar intent={intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{intent === 'error' ? 'This section needs attention' : 'Worth a look'}</MessageBarTitle>
        <ul>{rest.map((m) => <li key={m.text}>{m.text}</li>)}</ul>
      </MessageBarBody>
    </MessageBar>
  );
}
