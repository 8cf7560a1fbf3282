// Parley's web inbox: dialogs, messages, replies, assignment and status, over Parley's own API.
// Plain browser JavaScript, no build step; it is served with a strict Content-Security-Policy,
// so nothing here is inline and untrusted text only ever reaches the page through textContent.
'use strict';

const TOKEN_KEY = 'parley.inbox.token';
const LIST_REFRESH_MS = 5000;
const DIALOG_REFRESH_MS = 3000;

const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  /** the position of our last write: reads wait for the read models to have it */
  position: null,
  dialogs: [],
  nextCursor: null,
  selected: null,
  /** one key per draft, so a retried send appends the reply once */
  draftKey: crypto.randomUUID(),
  timers: [],
};

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
  }
}

async function api(method, path, { body, query, headers } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  }
  if (method === 'GET' && state.position) url.searchParams.set('min_position', state.position);
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${state.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(headers || {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const position = response.headers.get('x-parley-position');
  if (position) state.position = position;
  const text = await response.text();
  const parsed = text === '' ? null : JSON.parse(text);
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'text') node.textContent = value;
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const formatTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function dialogLabel(dialog) {
  return dialog.title || dialog.reference || `Dialog ${dialog.dialog_id.slice(-6)}`;
}

// ---- sign-in ----

function showSignIn(message) {
  stopTimers();
  $('inbox').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  $('token').focus();
}

async function signIn(token) {
  state.token = token;
  try {
    const me = await api('GET', '/api/me');
    state.me = me.actor;
  } catch (error) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(error.status === 401 ? 'This token is not valid.' : error.message);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('sign-in').hidden = true;
  $('inbox').hidden = false;
  $('mine-filter').parentElement.hidden = state.me.type !== 'operator';
  await refreshList();
  state.timers.push(setInterval(() => refreshList().catch(reportBackground), LIST_REFRESH_MS));
  state.timers.push(setInterval(() => refreshDialog().catch(reportBackground), DIALOG_REFRESH_MS));
}

function stopTimers() {
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
}

function reportBackground(error) {
  if (error.status === 401) showSignIn('Your session ended: sign in again.');
}

// ---- dialog list ----

function listQuery(cursor) {
  return {
    status: $('status-filter').value,
    assignee_id:
      $('mine-filter').checked && state.me.type === 'operator' ? state.me.operator_id : '',
    limit: 30,
    cursor,
  };
}

async function refreshList() {
  const page = await api('GET', '/api/dialogs', { query: listQuery() });
  state.dialogs = page.items;
  state.nextCursor = page.next_cursor;
  renderList();
}

async function loadMoreDialogs() {
  if (!state.nextCursor) return;
  const page = await api('GET', '/api/dialogs', { query: listQuery(state.nextCursor) });
  state.dialogs = state.dialogs.concat(page.items);
  state.nextCursor = page.next_cursor;
  renderList();
}

function renderList() {
  const list = $('dialog-list');
  list.replaceChildren(
    ...state.dialogs.map((dialog) => {
      const button = element('button', { type: 'button', 'data-dialog-id': dialog.dialog_id }, [
        element('span', { className: 'title' }, [
          element('span', { text: dialogLabel(dialog) }),
          element('span', { className: 'badge', text: dialog.status }),
        ]),
        element('span', {
          className: 'meta',
          text: `${dialog.messages_in + dialog.messages_out} messages · ${formatTime(dialog.last_message_at)}`,
        }),
      ]);
      if (state.selected && state.selected.dialog_id === dialog.dialog_id)
        button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => openDialog(dialog.dialog_id).catch(showDialogError));
      return element('li', {}, [button]);
    }),
  );
  if (state.dialogs.length === 0)
    list.append(element('li', { className: 'meta', text: 'No dialogs here.' }));
  $('more-dialogs').hidden = !state.nextCursor;
}

// ---- one dialog ----

async function openDialog(dialogId) {
  state.draftKey = crypto.randomUUID();
  $('reply-error').textContent = '';
  state.selected = await api('GET', `/api/dialogs/${dialogId}`);
  renderList();
  await refreshDialog();
  $('reply-text').focus();
}

async function refreshDialog() {
  if (!state.selected) return;
  const id = state.selected.dialog_id;
  const [dialog, messages] = await Promise.all([
    api('GET', `/api/dialogs/${id}`),
    api('GET', `/api/dialogs/${id}/messages`, { query: { limit: 200 } }),
  ]);
  if (!state.selected || state.selected.dialog_id !== id) return;
  state.selected = dialog;
  let contact = null;
  try {
    contact = await api('GET', `/api/contacts/${dialog.contact_id}`);
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  renderDialog(dialog, messages.items, contact);
}

function renderDialog(dialog, messages, contact) {
  $('empty').hidden = true;
  $('dialog').hidden = false;
  $('dialog-title').textContent = dialogLabel(dialog);
  $('dialog-meta').textContent = [
    dialog.reference ? `reference ${dialog.reference}` : null,
    dialog.status,
    dialog.assignee_id
      ? `assigned to ${dialog.assignee_id === myId() ? 'you' : dialog.assignee_id}`
      : 'unassigned',
  ]
    .filter(Boolean)
    .join(' · ');
  $('contact').textContent = contact
    ? `${contact.name || 'Unnamed contact'} — ${contact.contacts.map((c) => `${c.type} ${c.value}`).join(', ')}`
    : '';

  const assign = $('assign');
  const mine = dialog.assignee_id !== null && dialog.assignee_id === myId();
  assign.hidden = state.me.type !== 'operator' && dialog.assignee_id === null;
  assign.textContent =
    mine || (state.me.type !== 'operator' && dialog.assignee_id) ? 'Unassign' : 'Assign to me';
  $('toggle-status').textContent = dialog.status === 'open' ? 'Close' : 'Reopen';

  const list = $('messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren(...messages.map(renderMessage));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderMessage(message) {
  const body = [];
  if (message.html) {
    // the read model serves html sanitized by Parley (an allow-list of tags and attributes)
    const html = element('div', { className: 'html' });
    html.innerHTML = message.html;
    body.push(html);
  } else if (message.text) {
    body.push(element('div', { className: 'text', text: message.text }));
  }
  if (message.attachments.length > 0) {
    body.push(
      element(
        'ul',
        { className: 'attachments' },
        message.attachments.map((a) =>
          element('li', {}, [
            element('a', {
              href: a.url,
              target: '_blank',
              rel: 'noopener noreferrer nofollow',
              text: a.name,
            }),
            element('span', {
              className: 'meta',
              text: ` ${a.mimeType}, ${Math.ceil(a.size / 1024)} KiB`,
            }),
          ]),
        ),
      ),
    );
  }
  body.push(
    element('time', { datetime: message.created_at, text: formatTime(message.created_at) }),
  );
  return element('li', { className: `message ${message.direction}` }, body);
}

function myId() {
  return state.me && state.me.type === 'operator' ? state.me.operator_id : null;
}

function showDialogError(error) {
  if (error.status === 401) return showSignIn('Your session ended: sign in again.');
  $('reply-error').textContent = error.message;
}

async function sendReply(event) {
  event.preventDefault();
  const text = $('reply-text').value.trim();
  if (!state.selected || text === '') return;
  const button = event.target.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    await api('POST', `/api/dialogs/${state.selected.dialog_id}/messages`, {
      body: { text },
      headers: { 'idempotency-key': state.draftKey },
    });
    $('reply-text').value = '';
    $('reply-error').textContent = '';
    state.draftKey = crypto.randomUUID();
    await refreshDialog();
  } catch (error) {
    showDialogError(error);
  } finally {
    button.disabled = false;
  }
}

async function toggleAssignee() {
  const dialog = state.selected;
  if (!dialog) return;
  if (dialog.assignee_id && (dialog.assignee_id === myId() || state.me.type !== 'operator')) {
    await api('DELETE', `/api/dialogs/${dialog.dialog_id}/assignee`);
  } else {
    await api('PUT', `/api/dialogs/${dialog.dialog_id}/assignee`, {
      body: { operator_id: myId() },
    });
  }
  await Promise.all([refreshDialog(), refreshList()]);
}

async function toggleStatus() {
  const dialog = state.selected;
  if (!dialog) return;
  await api(
    'POST',
    `/api/dialogs/${dialog.dialog_id}/${dialog.status === 'open' ? 'close' : 'reopen'}`,
  );
  await Promise.all([refreshDialog(), refreshList()]);
}

// ---- wiring ----

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim());
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.selected = null;
    showSignIn();
  });
  $('status-filter').addEventListener('change', () => refreshList().catch(reportBackground));
  $('mine-filter').addEventListener('change', () => refreshList().catch(reportBackground));
  $('more-dialogs').addEventListener('click', () => loadMoreDialogs().catch(reportBackground));
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('reply-form').requestSubmit();
  });
  $('assign').addEventListener('click', () => toggleAssignee().catch(showDialogError));
  $('toggle-status').addEventListener('click', () => toggleStatus().catch(showDialogError));
  if (state.token) signIn(state.token);
  else showSignIn();
});
