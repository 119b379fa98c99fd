import type { ComponentProps } from 'react';
import { Suspense, lazy } from 'react';

const ApiErrorBar = lazy(() => import('./ApiErrorBar.js').then((m) => ({ default: m.ApiErrorBar })));

/** ApiErrorBar whose code (a message bar, IT's details) loads only when a failure is shown: for the Outlook pane's first screens. */
export function LazyApiErrorBar(props: ComponentProps<typeof ApiErrorBar>) {
  return (
    <Suspense fallback={<span aria-busy="true" />}>
      <ApiErrorBar {...props} />
    </Suspense>
  );
}
