/** A write the API refused (accept, remove, delegate, deploy), in the API's words with its code. */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../../../api.ts';

export function ActionFailure({ title, error }: { title: string; error: Error | undefined }) {
  if (!error) return null;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error.message}{error instanceof ApiError && error.code ? ` (${error.code})` : ''}
      </MessageBarBody>
    </MessageBar>
  );
}

/** `caught` as an Error, whatever was thrown. */
export const asError = (caught: unknown): Error => (caught instanceof Error ? caught : new Error(String(caught)));
