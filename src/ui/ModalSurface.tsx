import type { DialogSurfaceProps } from '@fluentui/react-components';
import { DialogSurface } from '@fluentui/react-components';
import { useActivateModal } from '@fluentui/react-tabster';
import { useCallback } from 'react';

/**
 * Fluent's DialogSurface, made the active modal as it mounts. Tabster (Fluent's focus manager) otherwise
 * activates a dialog only when focus lands inside it, from an effect; its aria-hidden pass runs 250 ms after
 * the dialog appears, and when that pass comes first (a busy device) it hides the open dialog itself, finds
 * nothing focusable in it, and never activates it: the dialog stays aria-hidden, out of reach of screen
 * readers (reproduced in tests/ui/modal-surface.test.tsx). Activating from the ref, during the commit, puts
 * the activation ahead of that pass, however late it runs.
 */
export function ModalSurface(props: DialogSurfaceProps) {
  const activate = useActivateModal();
  const surfaceRef = useCallback(
    (surface: HTMLElement | null) => {
      if (surface) activate(surface);
    },
    [activate],
  );
  return <DialogSurface {...props} ref={surfaceRef} />;
}
