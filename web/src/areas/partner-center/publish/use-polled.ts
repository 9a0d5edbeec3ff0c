/**
 * A view that keeps itself up to date: loads like `useLoad`, then asks again after `next(data)`
 * milliseconds while the thing is still changing (a publish in progress; undefined stops), without
 * flashing the spinner.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Load } from '../../../states.tsx';

export function usePolled<T>(request: (signal: AbortSignal) => Promise<T>, key: string, next: (data: T) => number | undefined): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => request(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setLoad({ state: 'loaded', data });
        const after = next(data);
        if (after !== undefined) timer = setTimeout(() => void ask(), after);
      },
      (error: unknown) => { if (!controller.signal.aborted) setLoad({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }); },
    );
    void ask();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // `request` and `next` are new closures on every render; `key` and `attempt` say when to start again.
  }, [key, attempt]);
  return [load, useCallback(() => setAttempt((n) => n + 1), [])];
}
