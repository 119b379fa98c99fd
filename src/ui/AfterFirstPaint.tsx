import type { ReactNode } from 'react';
import { Suspense, useEffect, useState } from 'react';

/**
 * Renders its children (lazy parts of a screen: the tabs, the holds) once the screen's first frame has been
 * painted, so their code loads after what that frame shows (the balance) rather than beside it; `fallback`
 * until then and while their code loads.
 */
export function AfterFirstPaint({ fallback, children }: { fallback: ReactNode; children: ReactNode }) {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A frame is painted after its animation-frame callbacks run: a task queued from one runs after the paint.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return <Suspense fallback={fallback}>{painted ? children : fallback}</Suspense>;
}
