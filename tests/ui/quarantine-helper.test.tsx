// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '../../src/contract/schemas.js';
import { ApiError } from '../../src/platform/api-client.js';
import type { DigestFinding, JunkFinding, MailboxHelper } from '../../src/mail/graph-mail.js';
import { GraphError } from '../../src/platform/graph-request.js';
import RegistrationPage from '../../src/tab/registration/index.js';
import { EMPLOYEE_ME, POLICY, fakeApi, renderWithApp } from './render.js';

/** The Graph mail module, faked at its boundary: each test scripts the mailbox it connects to. */
const graphMail = vi.hoisted(() => ({
  connect: undefined as undefined | (() => Promise<unknown>),
  connects: 0,
}));
vi.mock('../../src/mail/graph-mail.js', () => ({
  MAIL_SCOPES: ['https://graph.microsoft.com/Mail.ReadWrite'],
  connectMailbox: async () => {
    graphMail.connects++;
    if (!graphMail.connect) throw new Error('no mailbox scripted');
    return graphMail.connect();
  },
}));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface FakeMailbox extends MailboxHelper {
  moved: string[];
  settingsSeen: unknown[];
}

function mailbox(parts: { digests?: () => Promise<DigestFinding[]>; junk?: () => Promise<JunkFinding[]>; move?: (id: string) => Promise<{ id: string }> }): FakeMailbox {
  const fake: FakeMailbox = {
    moved: [],
    settingsSeen: [],
    findDigests: async (settings) => {
      fake.settingsSeen.push(settings);
      return (parts.digests ?? (async () => []))();
    },
    findInJunk: async (settings) => {
      fake.settingsSeen.push(settings);
      return (parts.junk ?? (async () => []))();
    },
    moveToInbox: async (id) => {
      fake.moved.push(id);
      return (parts.move ?? (async () => ({ id: `${id}-inbox` })))(id);
    },
  };
  graphMail.connect = async () => fake;
  return fake;
}

const DIGEST: DigestFinding = {
  digestId: 'digest-1',
  receivedDateTime: '2026-11-26T07:00:00.000Z',
  heldFrom: 'noreply@autodesk.com',
  heldSubject: 'Verify your Autodesk account',
  heldAt: '24 Nov 2026 10:40 (GMT +01:00)',
  releaseUrl: 'https://ironport.contoso.example/quarantine/release?mid=880102',
};

const JUNK: JunkFinding = {
  id: 'junk-1',
  subject: 'Welcome to Autodesk – activate your account',
  from: 'noreply@autodesk.com',
  fromName: 'Autodesk',
  receivedDateTime: '2026-11-25T09:30:00.000Z',
};

const waiting: MeResponse = { ...EMPLOYEE_ME, registration: { state: 'account_created', since: new Date().toISOString() } };

function openHelper(options: { api?: ReturnType<typeof fakeApi>['api']; me?: MeResponse } = {}) {
  renderWithApp(<RegistrationPage />, { api: options.api ?? fakeApi({}).api, me: options.me ?? waiting });
  return screen.getByRole('region', { name: 'Quarantine helper' });
}

async function searchIn(helper: HTMLElement) {
  await userEvent.setup().click(within(helper).getByRole('button', { name: 'Search my mailbox' }));
}

beforeEach(() => {
  location.hash = '#/registration?helper';
  graphMail.connect = undefined;
  graphMail.connects = 0;
});
afterEach(() => {
  location.hash = '';
});

describe('Quarantine helper: before searching', () => {
  it('explains the one-time permission and does not touch the mailbox until asked', () => {
    const helper = openHelper();
    expect(helper.textContent).toMatch(/Microsoft 365 asks you to let Credit Desk read and organise your mail/);
    expect(helper.textContent).toMatch(/You are asked once/);
    expect(graphMail.connects).toBe(0);
  });
});

describe('Quarantine helper: the IronPort digest case', () => {
  it('shows progress, then which message is held, when, and its Release link in a new tab', async () => {
    const digests = deferred<DigestFinding[]>();
    const fake = mailbox({ digests: () => digests.promise });
    const helper = openHelper();
    await searchIn(helper);
    const progress = await within(helper).findByRole('list', { name: 'Search progress' });
    await waitFor(() => expect(progress.textContent).toMatch(/Junk Email: done, 0 found/));
    expect(progress.textContent).toMatch(/Quarantine digests: looking…/);
    expect(within(helper).getByRole('status').textContent).toMatch(/Searching your mailbox…/);
    expect(within(helper).getByRole('button', { name: 'Search my mailbox' }).hasAttribute('disabled')).toBe(true);

    digests.resolve([DIGEST]);
    const held = await within(helper).findByRole('list', { name: 'Held Autodesk emails' });
    const item = within(held).getByRole('listitem');
    expect(item.textContent).toMatch(/noreply@autodesk\.com/);
    expect(item.textContent).toMatch(/Verify your Autodesk account/);
    expect(item.textContent).toMatch(/24 Nov 2026 10:40 \(GMT \+01:00\)/);
    const release = within(item).getByRole('link', { name: /Release it from the quarantine/ });
    expect(release.getAttribute('href')).toBe(DIGEST.releaseUrl);
    expect(release.getAttribute('target')).toBe('_blank');
    expect(release.getAttribute('rel')).toMatch(/noopener/);
    expect(helper.textContent).toMatch(/Released mail reaches your inbox within a few minutes/);
    expect(within(helper).queryByText('Nothing from Autodesk in your mailbox')).toBeNull();
    expect(within(helper).queryByRole('status')).toBeNull();
    expect(fake.settingsSeen).toEqual([POLICY, POLICY]);
  });

  it('without a usable link, says where to release it instead', async () => {
    mailbox({ digests: async () => [{ ...DIGEST, releaseUrl: null }] });
    const helper = openHelper();
    await searchIn(helper);
    const held = await within(helper).findByRole('list', { name: 'Held Autodesk emails' });
    expect(within(held).queryByRole('link')).toBeNull();
    expect(held.textContent).toMatch(/Open the digest in Outlook and choose Release next to this email/);
  });
});

describe('Quarantine helper: the Junk case', () => {
  it('shows sender, subject and received, moves it to the Inbox once, then says to finish in Outlook', async () => {
    const move = deferred<{ id: string }>();
    const fake = mailbox({ junk: async () => [JUNK], move: () => move.promise });
    const user = userEvent.setup();
    const helper = openHelper();
    await searchIn(helper);
    const found = await within(helper).findByRole('list', { name: 'Autodesk emails in Junk Email' });
    const item = within(found).getByRole('listitem');
    expect(item.textContent).toMatch(/Autodesk <noreply@autodesk\.com>/);
    expect(item.textContent).toMatch(/Welcome to Autodesk – activate your account/);
    expect(item.textContent).toMatch(/Received/);
    await user.dblClick(within(item).getByRole('button', { name: 'Move to Inbox' }));
    expect(within(item).getByRole('button', { name: 'Moving…' }).hasAttribute('disabled')).toBe(true);
    move.resolve({ id: 'junk-1-inbox' });
    await within(item).findByText('Moved to your Inbox');
    expect(item.textContent).toMatch(/Open Outlook and finish registration from the email/);
    expect(within(item).queryByRole('button', { name: 'Move to Inbox' })).toBeNull();
    expect(fake.moved).toEqual(['junk-1']);
  });

  it('shows a failed move in plain words and lets them try again', async () => {
    let attempts = 0;
    const fake = mailbox({
      junk: async () => [JUNK],
      move: async (id) => {
        if (++attempts === 1) throw new GraphError(503, 'GRAPH_UNAVAILABLE', 'Microsoft 365 is not answering properly right now.');
        return { id: `${id}-inbox` };
      },
    });
    const user = userEvent.setup();
    const helper = openHelper();
    await searchIn(helper);
    await user.click(await within(helper).findByRole('button', { name: 'Move to Inbox' }));
    await within(helper).findByText(/not answering properly right now/);
    await user.click(within(helper).getByRole('button', { name: 'Try again' }));
    await within(helper).findByText('Moved to your Inbox');
    expect(fake.moved).toEqual(['junk-1', 'junk-1']);
  });

  it('shows the digest and the Junk findings together when both turn up', async () => {
    mailbox({ digests: async () => [DIGEST], junk: async () => [JUNK] });
    const helper = openHelper();
    await searchIn(helper);
    await within(helper).findByRole('list', { name: 'Held Autodesk emails' });
    within(helper).getByRole('list', { name: 'Autodesk emails in Junk Email' });
    expect(within(helper).queryByText('Nothing from Autodesk in your mailbox')).toBeNull();
  });
});

describe('Quarantine helper: nothing found', () => {
  it('says so, lists what else to check, and flags the registration as stuck once', async () => {
    mailbox({});
    const answer = deferred<unknown>();
    const { api, calls } = fakeApi({ requestRegistrationHelp: () => answer.promise });
    const user = userEvent.setup();
    const helper = openHelper({ api });
    await searchIn(helper);
    await within(helper).findByText('Nothing from Autodesk in your mailbox');
    const others = within(helper).getByRole('list', { name: 'What else to check' });
    expect(others.textContent).toMatch(/Other folders: search all of Outlook for noreply@autodesk\.com, noreply@signin\.autodesk\.com or no-reply@autodeskcommunications\.com/);
    expect(others.textContent).toMatch(/arrives once a day/);
    expect(others.textContent).toMatch(/avery\.chen@contoso\.example/);

    const tell = within(helper).getByRole('button', { name: 'Tell the account managers' });
    await user.dblClick(tell);
    expect(within(helper).getByRole('button', { name: 'Telling them…' }).hasAttribute('disabled')).toBe(true);
    answer.resolve({ flagged: true, alreadyFlagged: false });
    await within(helper).findByText('The account managers know');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('requestRegistrationHelp');
    expect(calls[0]!.input.params).toEqual({ memberId: 'emp-1' });
    expect(typeof calls[0]!.input.idempotencyKey).toBe('string');
  });

  it('says when the account managers already knew', async () => {
    mailbox({});
    const { api } = fakeApi({ requestRegistrationHelp: () => ({ flagged: true, alreadyFlagged: true }) });
    const helper = openHelper({ api });
    await searchIn(helper);
    await userEvent.setup().click(await within(helper).findByRole('button', { name: 'Tell the account managers' }));
    await within(helper).findByText('The account managers already know');
  });

  it('shows a refusal in plain words and keeps the button', async () => {
    mailbox({});
    const { api } = fakeApi({ requestRegistrationHelp: () => new ApiError(409, 'INVALID_TRANSITION', 'This registration is "registered".') });
    const helper = openHelper({ api });
    await searchIn(helper);
    await userEvent.setup().click(await within(helper).findByRole('button', { name: 'Tell the account managers' }));
    await within(helper).findByText(/This registration is "registered"/);
    within(helper).getByRole('button', { name: 'Tell the account managers' });
  });

  it('offers no flag before the account exists', async () => {
    mailbox({});
    const helper = openHelper({ me: { ...waiting, registration: { state: 'requested', since: waiting.registration.since } } });
    await searchIn(helper);
    await within(helper).findByText('Nothing from Autodesk in your mailbox');
    expect(within(helper).queryByRole('button', { name: 'Tell the account managers' })).toBeNull();
  });
});

describe('Quarantine helper: when the mailbox cannot be searched', () => {
  it('shows why, in plain words, and the by-hand checklist; searching again connects again', async () => {
    graphMail.connect = async () => {
      throw new GraphError(403, 'GRAPH_FORBIDDEN', 'Credit Desk may not read your mailbox: the Mail.ReadWrite permission has not been granted.');
    };
    const helper = openHelper();
    await searchIn(helper);
    await within(helper).findByText(/IT has to allow it first/);
    within(helper).getByText('Your mailbox could not be searched');
    expect(within(helper).getByRole('list', { name: 'What to check by hand' }).textContent).toMatch(/Junk Email folder/);
    expect(within(helper).queryByText('Nothing from Autodesk in your mailbox')).toBeNull();

    mailbox({ junk: async () => [JUNK] });
    await userEvent.setup().click(within(helper).getByRole('button', { name: 'Search again' }));
    await within(helper).findByRole('list', { name: 'Autodesk emails in Junk Email' });
    expect(within(helper).queryByRole('list', { name: 'What to check by hand' })).toBeNull();
    expect(graphMail.connects).toBe(2);
  });

  it('shows what one look found when the other failed, and does not claim nothing was found', async () => {
    mailbox({ digests: async () => Promise.reject(new GraphError(429, 'GRAPH_THROTTLED', 'Microsoft 365 is busy.')), junk: async () => [] });
    const helper = openHelper();
    await searchIn(helper);
    await within(helper).findByText(/Microsoft 365 is busy/);
    expect(within(helper).queryByText('Nothing from Autodesk in your mailbox')).toBeNull();
    within(helper).getByRole('list', { name: 'What to check by hand' });

    mailbox({ digests: async () => Promise.reject(new GraphError(503, 'GRAPH_UNAVAILABLE', 'Down.')), junk: async () => [JUNK] });
    await userEvent.setup().click(within(helper).getByRole('button', { name: 'Search again' }));
    await within(helper).findByText('Part of your mailbox could not be searched');
    within(helper).getByRole('list', { name: 'Autodesk emails in Junk Email' });
  });
});
