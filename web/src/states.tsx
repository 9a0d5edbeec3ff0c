/**
 * Loading, empty and error states, the same on every page, and `useLoad`, which runs a request for a
 * view and says which of the three (or the data) to show. Errors are said in words: the API's message
 * and code, never a body or a stack.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError } from './api.ts';

export type Load<T> = { state: 'loading' } | { state: 'failed'; error: Error } | { state: 'loaded'; data: T };

/** Runs `request` when `key` changes; `retry` runs it again. */
export function useLoad<T>(request: (signal: AbortSignal) => Promise<T>, key: string): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    request(controller.signal).then(
      (data) => { if (!controller.signal.aborted) setLoad({ state: 'loaded', data }); },
      (error: unknown) => { if (!controller.signal.aborted) setLoad({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }); },
    );
    return () => controller.abort();
    // `request` is a new closure on every render; `key` says when it asks for something else.
  }, [key, attempt]);
  return [load, useCallback(() => setAttempt((n) => n + 1), [])];
}

const useStyles = makeStyles({
  centered: { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalM, padding: tokens.spacingVerticalXXXL, textAlign: 'center' },
});

export function Loading({ what }: { what: string }) {
  return <div className={useStyles().centered}><Spinner label={`Loading ${what}…`} /></div>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className={useStyles().centered} role="status">
      <Text weight="semibold" size={400}>{title}</Text>
      {children === undefined ? null : <Text>{children}</Text>}
    </div>
  );
}

/** What went wrong, in the API's words, with its code and a way to try again. */
export function Failure({ error, what, retry }: { error: Error; what: string; retry?: () => void }) {
  const code = error instanceof ApiError && error.code !== undefined ? ` (${error.code})` : '';
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Could not load {what}</MessageBarTitle>
        {error.message}{code}
      </MessageBarBody>
      {retry ? <MessageBarActions><Button onClick={retry}>Try again</Button></MessageBarActions> : null}
    </MessageBar>
  );
}

/** Shows `load`: the spinner, the failure, or `children(data)`. */
export function Loaded<T>({ load, what, retry, children }: { load: Load<T>; what: string; retry?: () => void; children: (data: T) => ReactNode }) {
  if (load.state === 'loading') return <Loading what={what} />;
  if (load.state === 'failed') return <Failure error={load.error} what={what} {...(retry ? { retry } : {})} />;
  return <>{children(load.data)}</>;
}
