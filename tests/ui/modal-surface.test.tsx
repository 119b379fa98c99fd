// @vitest-environment jsdom
/**
 * The race ModalSurface closes (src/ui/ModalSurface.tsx): Tabster's aria-hidden pass, due 250 ms after a dialog
 * appears, running before the dialog's focus effect, as on a busy machine. The pass is made due at once (only
 * that timer, so the order is forced, not timed), and the test waits until it has run.
 */
import { Button, Dialog, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, FluentProvider, Input, teamsLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ComponentType, ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModalSurface } from '../../src/ui/ModalSurface.js';

/** Tabster's hidden-content pass is the one 250 ms timer here; counts the passes that have run. */
const TABSTER_HIDDEN_PASS_MS = 250;
let passes = 0;
const realSetTimeout = window.setTimeout;

beforeEach(() => {
  passes = 0;
  window.setTimeout = ((callback: () => void, ms?: number, ...rest: unknown[]) =>
    ms === TABSTER_HIDDEN_PASS_MS
      ? realSetTimeout(() => {
          callback();
          passes += 1;
        }, 0)
      : realSetTimeout(callback, ms, ...rest)) as typeof window.setTimeout;
});
afterEach(() => {
  window.setTimeout = realSetTimeout;
});

function Page({ Surface }: { Surface: ComponentType<{ children: ReactNode }> }) {
  return (
    <FluentProvider theme={teamsLightTheme}>
      <Dialog>
        <DialogTrigger disableButtonEnhancement>
          <Button>Give a reason</Button>
        </DialogTrigger>
        <Surface>
          <DialogBody>
            <DialogTitle>Reason</DialogTitle>
            <DialogContent>
              <Input aria-label="Why" />
            </DialogContent>
          </DialogBody>
        </Surface>
      </Dialog>
    </FluentProvider>
  );
}

async function openAndLetTabsterPass(Surface: ComponentType<{ children: ReactNode }>): Promise<HTMLElement> {
  render(<Page Surface={Surface} />);
  await userEvent.click(screen.getByRole('button', { name: 'Give a reason' }));
  await waitFor(() => expect(passes).toBeGreaterThan(0));
  return document.querySelector<HTMLElement>('.fui-DialogSurface')!;
}

describe('an open dialog when Tabster hides content before the dialog takes focus', () => {
  it('upstream: a plain DialogSurface is left aria-hidden (fails once Fluent activates dialogs itself: then ModalSurface can go)', async () => {
    const surface = await openAndLetTabsterPass(DialogSurface);
    expect(surface.getAttribute('aria-hidden')).toBe('true');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('ModalSurface stays reachable: the dialog and its field are found by role', async () => {
    await openAndLetTabsterPass(ModalSurface);
    const dialog = screen.getByRole('dialog', { name: 'Reason' });
    expect(dialog.getAttribute('aria-hidden')).toBeNull();
    expect(screen.getByRole('textbox', { name: 'Why' })).toBeInstanceOf(HTMLInputElement);
  });
});
