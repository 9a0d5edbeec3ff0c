/** An image served by Lantern's APIs (an offer's logo): fetched with the user's token, shown from memory. */
import { useEffect, useState } from 'react';
import { getObjectUrl } from './api.ts';

export function AuthImage({ src, alt, size, className }: { src: string; alt: string; size: number; className?: string }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    let made: string | undefined;
    getObjectUrl(src, controller.signal).then((u) => {
      made = u;
      if (controller.signal.aborted) URL.revokeObjectURL(u);
      else setUrl(u);
    }, () => setUrl(undefined));
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [src]);
  // The space is kept while loading (and when there is no image), so the page does not jump.
  return url ? <img src={url} alt={alt} width={size} height={size} className={className} /> : <span style={{ display: 'inline-block', width: size, height: size }} className={className} aria-hidden />;
}
