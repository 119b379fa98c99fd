/**
 * Seeded data for the Graph stand-in (graph-standin.ts): the demo firm's directory, three mailboxes the
 * quarantine helper can be tried on, and Exchange message-trace rows. Dates are relative to `now`.
 */
import type { DemoUser } from './demo-users.js';
import { DEMO_DOMAIN, DEMO_USERS, DIRECTORY_ONLY } from './demo-users.js';

/** A directory user as the stand-in keeps it (Graph's `User`, with the fields the product reads). */
export interface StandInUser {
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  officeLocation: string;
  department: string;
  jobTitle: string;
}

/** A message in a mailbox, before it is shaped as Graph's `Message`. */
export interface StandInMail {
  id: string;
  /** A well-known folder name (`inbox`, `junkemail`, …); see FOLDER_IDS. */
  folder: WellKnownFolder;
  subject: string;
  from: { name: string; address: string };
  receivedDateTime: string;
  html: string;
  isRead: boolean;
}

/** A row of Exchange message trace (`/admin/exchange/tracing/messageTraces`). */
export interface MessageTraceRow {
  id: string;
  receivedDateTime: string;
  senderAddress: string;
  recipientAddress: string;
  subject: string;
  status: 'delivered' | 'quarantined' | 'filteredAsSpam' | 'failed' | 'pending' | 'expanded';
  size: number;
  fromIP: string;
}

export const WELL_KNOWN_FOLDERS = ['inbox', 'junkemail', 'deleteditems', 'archive', 'sentitems', 'drafts'] as const;
export type WellKnownFolder = (typeof WELL_KNOWN_FOLDERS)[number];

/** Opaque folder ids, as Graph gives in `parentFolderId` (the same in every stand-in mailbox). */
export const FOLDER_IDS: Record<WellKnownFolder, string> = Object.fromEntries(
  WELL_KNOWN_FOLDERS.map((name) => [name, `AQMkAD${Buffer.from(`standin-folder-${name}`).toString('base64url')}AAA=`]),
) as Record<WellKnownFolder, string>;

const demo = (first: string): DemoUser => {
  const user = DEMO_USERS.find((u) => u.displayName.startsWith(`${first} `));
  if (!user) throw new Error(`No demo user ${first}`);
  return user;
};

/** Autodesk's welcome email is in this person's Junk Email folder. */
export const JUNK_USER = demo('Quinn');
/** An IronPort spam-quarantine digest listing an Autodesk message is in this person's Inbox. */
export const DIGEST_USER = demo('Kai');
/** The person in `account_created` in seed.ts: message trace shows Autodesk's email quarantined in Exchange. */
export const STUCK_USER = demo('Jordan');
/** Nothing from Autodesk anywhere in the mailbox (it is the stuck person: the mail was held before the mailbox). */
export const CLEAN_USER = STUCK_USER;

export const AUTODESK_SENDER = 'noreply@autodesk.com';
export const IRONPORT_SENDER = `spamquarantine@${DEMO_DOMAIN}`;
export const IRONPORT_SUBJECT = 'Spam Quarantine Notification';
export const IRONPORT_RELEASE_URL = 'https://ironport.contoso.example/quarantine/release';

const WORK: Record<string, [department: string, jobTitle: string]> = {
  Avery: ['Architecture', 'Project Architect'],
  Blake: ['Architecture', 'Architectural Designer'],
  Casey: ['Structural Engineering', 'Structural Engineer'],
  Devon: ['Structural Engineering', 'Senior Structural Engineer'],
  Emery: ['MEP Engineering', 'Mechanical Engineer'],
  Finley: ['MEP Engineering', 'Electrical Engineer'],
  Harper: ['Visualization', 'Visualization Lead'],
  Jordan: ['Architecture', 'BIM Coordinator'],
  Kai: ['Civil Engineering', 'Civil Engineer'],
  Logan: ['Architecture', 'Contract Designer'],
  Morgan: ['Structural Engineering', 'Structural Engineer'],
  Quinn: ['Visualization', '3D Artist'],
  Riley: ['Finance', 'Account Manager'],
  Sam: ['Finance', 'Contracts Manager'],
  Taylor: ['IT', 'Systems Administrator'],
  Uma: ['Architecture', 'Graduate Architect'],
  Victor: ['MEP Engineering', 'Plumbing Engineer'],
};

const userOf = (id: string, displayName: string, mail: string, office: string): StandInUser => {
  const [givenName = displayName, ...rest] = displayName.split(' ');
  const [department, jobTitle] = WORK[givenName] ?? ['Architecture', 'Architect'];
  return { id, displayName, givenName, surname: rest.join(' '), mail, userPrincipalName: mail, officeLocation: office, department, jobTitle };
};

const extra = (n: number, displayName: string, mailbox: string, office: string, department: string, jobTitle: string): StandInUser => ({
  ...userOf(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, displayName, `${mailbox}@${DEMO_DOMAIN}`, office),
  department,
  jobTitle,
});

/** People in the directory who are not demo users (never used Credit Desk); one has an apostrophe in the name. */
export const EXTRA_PEOPLE: StandInUser[] = [
  extra(42, "Aoife O'Brien", 'aoife.obrien', 'Boston', 'Architecture', 'Interior Designer'),
  extra(43, "Declan O'Brien", 'declan.obrien', 'Chicago', 'Civil Engineering', 'Site Engineer'),
  extra(44, 'Avery Brooks', 'avery.brooks', 'Seattle', 'Landscape', 'Landscape Architect'),
  extra(45, 'Priya Raman', 'priya.raman', 'Chicago', 'Structural Engineering', 'Graduate Engineer'),
  extra(46, 'Marcus Webb', 'marcus.webb', 'Denver', 'Architecture', 'Associate'),
  extra(47, 'Lena Hoffmann', 'lena.hoffmann', 'Seattle', 'Visualization', 'Animator'),
  extra(48, 'Tomás Ortega', 'tomas.ortega', 'Boston', 'MEP Engineering', 'Fire Engineer'),
  extra(49, 'Ines Duarte', 'ines.duarte', 'Denver', 'Architecture', 'Technical Architect'),
];

/** The whole seeded directory: every demo user (same id and mail), the directory-only people, and EXTRA_PEOPLE. */
export function seedUsers(): StandInUser[] {
  return [...DEMO_USERS, ...DIRECTORY_ONLY].map((u) => userOf(u.id, u.displayName, u.email, u.office)).concat(EXTRA_PEOPLE.map((u) => ({ ...u })));
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Stable, opaque, URL-safe message ids (Graph's look like `AAMkAD…`). */
export function messageId(n: number): string {
  return `AAMkAD${Buffer.from(`standin-message-${n}`).toString('base64url')}`;
}

const releaseUrl = (mid: number) => `${IRONPORT_RELEASE_URL}?mid=${mid}`;

/** The IronPort digest's HTML: a table of held messages, each with a Release link. */
function digestHtml(recipient: string, held: { from: string; subject: string; date: string; mid: number }[]): string {
  const rows = held
    .map((h) => `<tr><td>${h.from}</td><td>${h.subject}</td><td>${h.date}</td><td><a href="${releaseUrl(h.mid)}">Release</a></td></tr>`)
    .join('\n');
  return `<html><body>
<p>The following ${held.length} messages have been held in the Spam Quarantine for ${recipient}. They will be deleted after 14 days.</p>
<table border="1" cellpadding="4">
<tr><th>From</th><th>Subject</th><th>Date</th><th></th></tr>
${rows}
</table>
<p>To release a message to your Inbox, click Release. To see all your quarantined messages, visit <a href="https://ironport.contoso.example/quarantine">the Spam Quarantine</a>.</p>
</body></html>`;
}

const simple = (text: string) => `<html><body><p>${text}</p></body></html>`;

/** Each seeded mailbox by user id (everyone else's is empty). Message ids are messageId(1), (2), … */
export function seedMailboxes(now: Date): Map<string, StandInMail[]> {
  let n = 0;
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const mail = (folder: WellKnownFolder, ago: number, from: [string, string], subject: string, html: string, isRead = false): StandInMail => ({
    id: messageId(++n),
    folder,
    subject,
    from: { name: from[0], address: from[1] },
    receivedDateTime: at(ago),
    html,
    isRead,
  });
  const colleague = (first: string): [string, string] => [demo(first).displayName, demo(first).email];
  const ironport: [string, string] = ['Spam Quarantine', IRONPORT_SENDER];
  const autodesk: [string, string] = ['Autodesk', AUTODESK_SENDER];

  const junk = [
    mail('inbox', 3 * HOUR, colleague('Harper'), 'Render farm queue this week', simple('The queue is quiet until Thursday.'), true),
    mail('junkemail', 12 * DAY, ['Office Supplies', 'deals@cheap-toner.example'], 'Toner 70% off', simple('Best prices on toner.')),
    mail('junkemail', 2 * DAY, autodesk, 'Welcome to Autodesk – activate your account', simple(`Hi ${JUNK_USER.displayName}, your Autodesk account is ready. <a href="https://accounts.autodesk.com/activate?token=demo">Activate your account</a>.`)),
    mail('junkemail', 4 * DAY, ['Prize Desk', 'winner@lucky-prizes.example'], 'You have won a gift card!', simple('Claim your prize now.')),
    mail('junkemail', 45 * DAY, autodesk, 'Your Autodesk trial is ending', simple('An old message, outside the 30-day window.')),
  ];
  const digest = [
    mail('inbox', 1 * DAY, ironport, IRONPORT_SUBJECT, digestHtml(DIGEST_USER.email, [
      { from: 'offers@bulk-mailer.example', subject: 'Limited time offer', date: at(1.5 * DAY), mid: 880101 },
      { from: AUTODESK_SENDER, subject: 'Verify your Autodesk account', date: at(1.3 * DAY), mid: 880102 },
      { from: 'newsletter@trade-news.example', subject: 'This week in construction', date: at(1.2 * DAY), mid: 880103 },
    ])),
    mail('inbox', 5 * DAY, ironport, IRONPORT_SUBJECT, digestHtml(DIGEST_USER.email, [
      { from: 'promo@webinars.example', subject: 'Join our webinar', date: at(5.5 * DAY), mid: 880001 },
    ]), true),
    mail('inbox', 2 * DAY, colleague('Riley'), 'Your Autodesk account request', simple('I have asked for your account; watch for an email.'), true),
    mail('junkemail', 6 * DAY, ['Crypto News', 'news@coins.example'], 'Bitcoin is back', simple('Read more.')),
  ];
  const clean = [
    mail('inbox', 6 * HOUR, colleague('Avery'), 'Site visit photos', simple('Photos from Tuesday are on the share.'), true),
    mail('inbox', 3 * DAY, colleague('Sam'), 'Timesheets due Friday', simple('Please submit by noon.')),
    mail('junkemail', 2 * DAY, ['Travel Deals', 'offers@travel.example'], 'Cheap flights to Denver', simple('Book now.')),
  ];
  return new Map([
    [JUNK_USER.id, junk],
    [DIGEST_USER.id, digest],
    [CLEAN_USER.id, clean],
  ]);
}

/** Exchange message trace rows: the stuck person's Autodesk email quarantined; the junk user's filtered as spam; others delivered. */
export function seedMessageTraces(now: Date): MessageTraceRow[] {
  let n = 0;
  const row = (ago: number, sender: string, recipient: string, subject: string, status: MessageTraceRow['status'], size = 24_576): MessageTraceRow => ({
    id: `${(++n).toString(16).padStart(8, '0')}-5c1d-4b7e-9a3f-7e1d2c3b4a50`,
    receivedDateTime: new Date(now.getTime() - ago).toISOString(),
    senderAddress: sender,
    recipientAddress: recipient,
    subject,
    status,
    size,
    fromIP: sender.endsWith('@autodesk.com') ? '198.51.100.24' : '203.0.113.7',
  });
  return [
    row(8 * DAY - 2 * HOUR, AUTODESK_SENDER, STUCK_USER.email, 'Welcome to Autodesk – activate your account', 'quarantined', 41_230),
    row(2 * DAY, AUTODESK_SENDER, JUNK_USER.email, 'Welcome to Autodesk – activate your account', 'filteredAsSpam', 40_917),
    row(20 * DAY, AUTODESK_SENDER, demo('Logan').email, 'Welcome to Autodesk – activate your account', 'quarantined', 40_002),
    row(3 * DAY, AUTODESK_SENDER, demo('Avery').email, 'Your Autodesk usage summary', 'delivered'),
    row(4 * DAY, AUTODESK_SENDER, demo('Casey').email, 'Your Autodesk usage summary', 'delivered'),
    row(1 * DAY, 'billing@imaginit.example', demo('Riley').email, 'Quote IMT-Q-4412', 'delivered', 88_120),
    row(5 * HOUR, demo('Taylor').email, demo('Harper').email, 'Laptop refresh', 'delivered', 12_044),
    row(6 * DAY, 'winner@lucky-prizes.example', demo('Blake').email, 'You have won a gift card!', 'filteredAsSpam', 9_310),
  ];
}
