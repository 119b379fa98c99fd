// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DirectoryPersonView } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import { RaiseRequestForm } from '../../src/tab/registrations/RaiseRequestForm.js';
import { PeoplePicker } from '../../src/ui/PeoplePicker.js';
import { MANAGER_ME, fakeApi, renderWithApp } from './render.js';

const AOIFE: DirectoryPersonView = { id: 'a1', displayName: "Aoife O'Brien", email: 'aoife.obrien@contoso.example', office: 'Boston', department: 'Architecture', jobTitle: 'Interior Designer', member: null };
const DECLAN: DirectoryPersonView = { id: 'd1', displayName: "Declan O'Brien", email: 'declan.obrien@contoso.example', office: 'Chicago', department: null, jobTitle: null, member: { registrationState: 'account_created' } };

function directoryApi(answer: (q: string) => DirectoryPersonView[] | ApiError = () => [AOIFE, DECLAN]) {
  return fakeApi({
    directorySearch: ({ query }: any) => {
      const result = answer(query.q);
      return result instanceof ApiError ? result : { items: result };
    },
  });
}

/**
 * Keystrokes in jsdom can be hundreds of milliseconds apart on a loaded machine; tests that count searches
 * use a pause the typing never reaches, so what they check is the debounce, not the machine's speed.
 */
const PAUSE = 2_000;
const found = { timeout: PAUSE + 3_000 };

const searches = (calls: { name: string; input: Record<string, unknown> }[]) => calls.filter((c) => c.name === 'directorySearch').map((c) => (c.input.query as { q: string }).q);

describe('PeoplePicker', () => {
  it('searches once the typing pauses, and shows name, address, office and membership', async () => {
    const user = userEvent.setup();
    const { api, calls } = directoryApi();
    renderWithApp(<PeoplePicker api={api} onSelect={() => {}} debounceMs={PAUSE} />, { api, me: MANAGER_ME });
    const box = screen.getByRole('combobox', { name: /Find a person in the directory/ });
    await user.type(box, "o'b");
    await screen.findByRole('option', { name: /Aoife O'Brien/ }, found);
    // One search for the whole word, not one per keystroke.
    expect(searches(calls)).toEqual(["o'b"]);
    expect(calls[0]!.input.query).toEqual({ q: "o'b", limit: 10 });
    const declan = screen.getByRole('option', { name: /Declan O'Brien/ });
    within(declan).getByText('declan.obrien@contoso.example · Chicago');
    within(declan).getByText('Account created');
    const aoife = screen.getByRole('option', { name: /Aoife O'Brien/ });
    within(aoife).getByText('aoife.obrien@contoso.example · Boston · Interior Designer');
    expect(within(aoife).queryByText(/Account created|Requested|Registered/)).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/2 people found/);
  });

  it('is keyboard friendly: arrows and Enter choose a person', async () => {
    const user = userEvent.setup();
    const onSelect = vi.fn();
    const { api } = directoryApi();
    renderWithApp(<PeoplePicker api={api} onSelect={onSelect} />, { api, me: MANAGER_ME });
    await user.type(screen.getByRole('combobox'), 'o');
    await screen.findByRole('option', { name: /Declan O'Brien/ });
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    await waitFor(() => expect(onSelect).toHaveBeenCalledTimes(1));
    expect(onSelect.mock.calls[0]![0]).toEqual(DECLAN);
    expect(screen.getByRole<HTMLInputElement>('combobox').value).toBe("Declan O'Brien");
  });

  it('does not search for text the typing overtook, and says when no one is found', async () => {
    const user = userEvent.setup();
    const { api, calls } = directoryApi((q) => (q === 'zz' ? [] : [AOIFE]));
    renderWithApp(<PeoplePicker api={api} onSelect={() => {}} debounceMs={PAUSE} />, { api, me: MANAGER_ME });
    const box = screen.getByRole('combobox');
    await user.type(box, 'a');
    await screen.findByRole('option', { name: /Aoife/ }, found);
    await user.clear(box);
    await user.type(box, 'zz');
    await screen.findByText(/No one found for “zz”/, undefined, found);
    expect(screen.queryByRole('option')).toBeNull();
    expect(searches(calls).at(-1)).toBe('zz');
    expect(searches(calls)).not.toContain('z');
  });

  it('shows a directory outage in plain words and searches again on Try again', async () => {
    const user = userEvent.setup();
    let down = true;
    const { api, calls } = directoryApi(() => (down ? new ApiError(503, 'DIRECTORY_UNAVAILABLE', 'The Microsoft 365 directory is not answering.') : [AOIFE]));
    renderWithApp(<PeoplePicker api={api} onSelect={() => {}} debounceMs={PAUSE} />, { api, me: MANAGER_ME });
    await user.type(screen.getByRole('combobox'), 'aoife');
    await screen.findByText(/directory is not answering/, undefined, found);
    screen.getByText('The directory search did not work');
    down = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    // The list closed when the button took the focus; the status line says what came back.
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/1 person found/), found);
    expect(screen.queryByText(/directory is not answering/)).toBeNull();
    expect(searches(calls)).toEqual(['aoife', 'aoife']);
  });
});

describe('Raise a request for someone, with the picker', () => {
  it('fills the work email and name from the person chosen, and raises the request for them', async () => {
    const user = userEvent.setup();
    const { api, calls } = fakeApi({
      directorySearch: () => ({ items: [AOIFE] }),
      createRegistration: ({ body }: any) => ({
        member: {
          member: { id: 'a1', email: body.email, displayName: body.displayName, office: 'Boston' },
          registration: { state: 'requested', since: new Date().toISOString(), requestedBy: 'am-1', reason: null, stuck: false, history: [] },
          credits: { own: 0, held: 0, poolDrawn: 0 },
          allotmentGrantedAt: null,
        },
      }),
    });
    const onRaised = vi.fn();
    renderWithApp(<RaiseRequestForm onRaised={onRaised} />, { api, me: MANAGER_ME });
    await user.type(screen.getByRole('combobox', { name: /Find a person/ }), 'aoi');
    await user.click(await screen.findByRole('option', { name: /Aoife O'Brien/ }));
    expect(screen.getByLabelText<HTMLInputElement>(/Work email/).value).toBe('aoife.obrien@contoso.example');
    expect(screen.getByLabelText<HTMLInputElement>(/Name/).value).toBe("Aoife O'Brien");
    await user.click(screen.getByRole('button', { name: 'Raise request' }));
    await screen.findByText(/is now in the queue/);
    expect(calls.find((c) => c.name === 'createRegistration')!.input.body).toEqual({ email: 'aoife.obrien@contoso.example', displayName: "Aoife O'Brien" });
    expect(onRaised).toHaveBeenCalledTimes(1);
  });
});
