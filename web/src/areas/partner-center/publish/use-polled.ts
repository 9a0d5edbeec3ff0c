/**
 * A view that keeps itself up to date: loads like `useLoad`, then asks again every `everyMs` while
 * `more(data)` says the thing is still changing (a publish in progress), without flashing the spinner.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Load } from '../../../states.tsx';

export function usePolled<T>(request: (signal: AbortSignal) => Promise<T>, key: string, more: (data: T) => boolean, everyMs = 1000): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => request(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setLoad({ state: 'loaded', data });
        if (more(data)) timer = setTimeout(() => void ask(), everyMs);
      },
      (error: unknown) => { if (!controller.signal.aborted) setLoad({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }); },
    );
    void ask();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // `request` and `more` are new closures on every render; `key` and `attempt` say when to start again.
  }, [key, attempt]);
  return [load, useCallback(() => setAttempt((n) => n + 1), [])];
}
