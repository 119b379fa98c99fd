/**
 * The feed receiver's page: the cards IT's channel would show, rendered in the browser by the
 * `adaptivecards` library (served by the receiver itself, no CDN). Plain HTML, CSS and browser JS as strings.
 */

export const RECEIVER_PAGE_TITLE = 'Teams channel stand-in — what IT would see';

export const RECEIVER_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${RECEIVER_PAGE_TITLE}</title>
<link rel="stylesheet" href="page.css">
</head>
<body>
<header class="top">
  <div class="team-icon" aria-hidden="true">IT</div>
  <div>
    <h1>${RECEIVER_PAGE_TITLE}</h1>
    <p class="sub">Credit Desk feed cards as posted to the Workflows webhook · <span id="status">connecting…</span></p>
  </div>
</header>
<main>
  <p id="empty" class="empty" hidden>No cards yet. Set the Teams webhook URL in Credit Desk settings to <code id="webhook-url"></code>.</p>
  <ol id="posts" class="posts" aria-live="polite"></ol>
</main>
<script src="adaptivecards.min.js"></script>
<script src="page.js"></script>
</body>
</html>
`;

export const RECEIVER_PAGE_CSS = `
:root { color-scheme: light; font-family: "Segoe UI", system-ui, -apple-system, sans-serif; color: #242424; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f5f5; }
.top { display: flex; gap: 12px; align-items: center; padding: 12px 24px; background: #fff; border-bottom: 1px solid #e0e0e0; }
.team-icon { width: 32px; height: 32px; border-radius: 6px; background: #5b5fc7; color: #fff; font-weight: 600; font-size: 13px; display: grid; place-items: center; }
h1 { margin: 0; font-size: 18px; font-weight: 600; }
.sub { margin: 2px 0 0; font-size: 12px; color: #616161; }
main { padding: 16px 24px 48px; }
.empty { color: #616161; font-size: 14px; }
.posts { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 16px; }
.post { display: grid; grid-template-columns: 32px 1fr; gap: 0 10px; background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,0.12); max-width: 560px; }
.avatar { width: 32px; height: 32px; border-radius: 50%; background: #e8ebfa; color: #4f52b2; font-weight: 600; font-size: 12px; display: grid; place-items: center; }
.meta { font-size: 12px; color: #616161; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; margin-bottom: 8px; }
.meta .who { font-weight: 600; color: #242424; font-size: 14px; }
.card { grid-column: 2; width: 450px; max-width: 100%; border: 1px solid #e0e0e0; border-radius: 4px; overflow: hidden; background: #fff; }
.card + .card { margin-top: 8px; }
.render-error { color: #c4314b; font-size: 13px; padding: 8px 12px; }
.ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; color: #242424; background: #fff; border: 1px solid #d1d1d1; border-radius: 4px; padding: 5px 12px; cursor: pointer; }
.ac-pushButton:hover { background: #f5f5f5; }
.ac-pushButton:focus-visible { outline: 2px solid #5b5fc7; outline-offset: 1px; }
`;

/** Close to Teams' light theme, so the cards look as they will in the channel. */
const HOST_CONFIG = {
  fontFamily: '"Segoe UI", system-ui, -apple-system, sans-serif',
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontTypes: {
    default: {
      fontFamily: '"Segoe UI", system-ui, -apple-system, sans-serif',
      fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: 'Consolas, "Cascadia Mono", monospace',
      fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 300, default: 400, bolder: 600 },
    },
  },
  containerStyles: {
    default: style('#FFFFFF'),
    emphasis: style('#F5F5F5'),
    accent: style('#EBEBF6'),
    good: style('#E7F2DA'),
    warning: style('#FFF4CE'),
    attention: style('#FDE7E9'),
  },
  actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left', showCard: { actionMode: 'inline' } },
  factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 8 },
  textBlock: { headingLevel: 2 },
};

function style(backgroundColor: string) {
  const colors = {
    default: { default: '#242424', subtle: '#616161' },
    dark: { default: '#242424', subtle: '#616161' },
    light: { default: '#FFFFFF', subtle: '#F0F0F0' },
    accent: { default: '#5B5FC7', subtle: '#4F52B2' },
    good: { default: '#0E700E', subtle: '#107C10' },
    warning: { default: '#835B00', subtle: '#8A6100' },
    attention: { default: '#C4314B', subtle: '#A72037' },
  };
  return { backgroundColor, foregroundColors: colors };
}

export const RECEIVER_PAGE_SCRIPT = `'use strict';
const hostConfig = new AdaptiveCards.HostConfig(${JSON.stringify(HOST_CONFIG)});
AdaptiveCards.AdaptiveCard.onExecuteAction = (action) => {
  if (action instanceof AdaptiveCards.OpenUrlAction && action.url) window.open(action.url, '_blank', 'noopener');
};
const posts = document.getElementById('posts');
const empty = document.getElementById('empty');
const status = document.getElementById('status');
document.getElementById('webhook-url').textContent = new URL('webhook', location.href).href;
let shown = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderCard(content) {
  const box = el('div', 'card');
  try {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.parse(content);
    const rendered = card.render();
    if (rendered) box.appendChild(rendered);
    else box.appendChild(el('div', 'render-error', 'The card did not render.'));
  } catch (error) {
    box.appendChild(el('div', 'render-error', 'The card did not render: ' + error.message));
  }
  return box;
}

function renderPost(item) {
  const post = el('li', 'post');
  post.appendChild(el('div', 'avatar', 'WF'));
  const meta = el('div', 'meta');
  meta.appendChild(el('span', 'who', 'Workflows'));
  const time = el('time', '', new Date(item.receivedAt).toLocaleString());
  time.dateTime = item.receivedAt;
  meta.appendChild(time);
  meta.appendChild(el('span', '', '#' + item.seq));
  post.appendChild(meta);
  // Like Teams, the page shows the card alone: the event ids in the payload are for machines (GET /received).
  for (const attachment of item.payload.attachments) post.appendChild(renderCard(attachment.content));
  return post;
}

async function poll() {
  try {
    const [received, state] = await Promise.all([
      fetch('received', { cache: 'no-store' }).then((r) => r.json()),
      fetch('state', { cache: 'no-store' }).then((r) => r.json()),
    ]);
    status.textContent = received.length + ' received · ' + state.refusals + ' refused' + (state.failing ? ' · failing on purpose (' + state.failStatus + ')' : '') + ' · updated ' + new Date().toLocaleTimeString();
    const key = received.map((r) => r.seq).join(',');
    if (key !== shown) {
      shown = key;
      posts.replaceChildren(...received.slice().reverse().map(renderPost));
      empty.hidden = received.length > 0;
    }
  } catch (error) {
    status.textContent = 'receiver not reachable (' + error.message + '), retrying…';
  } finally {
    setTimeout(poll, 2000);
  }
}
void poll();
`;
