// Parley's web inbox: dialogs, messages, replies, assignment and status, over Parley's own API,
// kept live by Server-Sent Events from the event log (GET /api/inbox/events).
// Plain browser JavaScript, no build step; it is served with a strict Content-Security-Policy,
// so nothing here is inline and untrusted text only ever reaches the page through textContent.
'use strict';

const TOKEN_KEY = 'parley.inbox.token';
const LANG_KEY = 'parley.inbox.lang';
const PAGE_SIZE = 30;
/** the stream ticket lasts two minutes: renew it at half */
const TICKET_RENEW_MS = 60_000;
const CLOCK_TICK_MS = 30_000;
/** live events within this window become one refresh */
const LIVE_DEBOUNCE_MS = 80;

const $ = (id) => document.getElementById(id);

// ---- words ----

const MESSAGES = {
  en: {
    appName: 'Parley inbox',
    language: 'Language',
    signOut: 'Sign out',
    signInTitle: 'Sign in',
    tokenLabel: 'Your operator token (or the admin token)',
    signIn: 'Sign in',
    invalidToken: 'This token is not valid.',
    sessionEnded: 'Your session ended: sign in again.',
    dialogs: 'Dialogs',
    search: 'Search',
    searchPlaceholder: 'Search dialogs and contacts (/)',
    status: 'Status',
    statusOpen: 'Open',
    statusClosed: 'Closed',
    statusAll: 'All',
    channel: 'Channel',
    allChannels: 'All channels',
    assignee: 'Assignee',
    anyone: 'Anyone',
    mine: 'Mine',
    unassigned: 'Unassigned',
    more: 'More',
    noDialogs: 'No dialogs here.',
    loading: 'Loading…',
    chooseDialog: 'Choose a dialog.',
    back: 'Back',
    backToDialog: 'Back to the dialog',
    contact: 'Contact',
    messages: 'Messages',
    reply: 'Reply',
    replyPlaceholder: 'Write a reply… (Ctrl+Enter sends)',
    send: 'Send',
    assignToMe: 'Assign to me',
    unassign: 'Unassign',
    close: 'Close',
    reopen: 'Reopen',
    open: 'open',
    closed: 'closed',
    you: 'You',
    customer: 'Customer',
    operator: 'Operator',
    assignedTo: 'assigned to {name}',
    assignedToYou: 'assigned to you',
    notAssigned: 'unassigned',
    waitingFor: 'waiting {duration}',
    waitingTitle: 'The customer wrote last, {time}',
    reference: 'reference {reference}',
    contactData: 'Contact data',
    mergedIds: 'Merged contacts',
    otherDialogs: 'Other dialogs',
    none: 'None',
    unnamed: 'Unnamed contact',
    dialogNamed: 'Dialog {id}',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    attachment: 'Attachment',
    attachmentPending: 'being kept…',
    attachmentFailed: 'could not be kept: {reason}',
    justNow: 'just now',
    dialogView: 'Dialog view',
    history: 'History',
    noHistory: 'Nothing has happened yet.',
    admin: 'Admin',
    system: 'Parley',
    hOpened: 'opened the dialog',
    hAssigned: 'assigned the dialog to {name}',
    hUnassigned: 'unassigned the dialog',
    hClosed: 'closed the dialog',
    hReopened: 'reopened the dialog',
    hReopenedByMessage: "the customer's message reopened the dialog",
    hReopenedByReply: 'a reply reopened the dialog',
    hTitle: 'changed the title to “{title}”',
    hReceived: 'posted a message from the customer',
    hSent: 'replied',
    hDelivery: 'the channel reported the reply {status}',
    deliverySent: 'sent',
    deliveryDelivered: 'delivered',
    deliveryRead: 'read',
    deliveryFailed: 'failed',
    hMerged: 'merged {count} contact(s) into the customer: {ids}',
  },
  ru: {
    appName: 'Parley — входящие',
    language: 'Язык',
    signOut: 'Выйти',
    signInTitle: 'Вход',
    tokenLabel: 'Ваш токен оператора (или токен администратора)',
    signIn: 'Войти',
    invalidToken: 'Этот токен не подходит.',
    sessionEnded: 'Сеанс закончился: войдите снова.',
    dialogs: 'Диалоги',
    search: 'Поиск',
    searchPlaceholder: 'Поиск по диалогам и контактам (/)',
    status: 'Статус',
    statusOpen: 'Открытые',
    statusClosed: 'Закрытые',
    statusAll: 'Все',
    channel: 'Канал',
    allChannels: 'Все каналы',
    assignee: 'Исполнитель',
    anyone: 'Любой',
    mine: 'Мои',
    unassigned: 'Без исполнителя',
    more: 'Ещё',
    noDialogs: 'Здесь нет диалогов.',
    loading: 'Загрузка…',
    chooseDialog: 'Выберите диалог.',
    back: 'Назад',
    backToDialog: 'К диалогу',
    contact: 'Контакт',
    messages: 'Сообщения',
    reply: 'Ответ',
    replyPlaceholder: 'Напишите ответ… (Ctrl+Enter — отправить)',
    send: 'Отправить',
    assignToMe: 'Взять себе',
    unassign: 'Снять исполнителя',
    close: 'Закрыть',
    reopen: 'Открыть снова',
    open: 'открыт',
    closed: 'закрыт',
    you: 'Вы',
    customer: 'Клиент',
    operator: 'Оператор',
    assignedTo: 'исполнитель: {name}',
    assignedToYou: 'исполнитель: вы',
    notAssigned: 'без исполнителя',
    waitingFor: 'ждёт {duration}',
    waitingTitle: 'Клиент написал последним: {time}',
    reference: 'ссылка {reference}',
    contactData: 'Контактные данные',
    mergedIds: 'Объединённые контакты',
    otherDialogs: 'Другие диалоги',
    none: 'Нет',
    unnamed: 'Контакт без имени',
    dialogNamed: 'Диалог {id}',
    live: 'В сети',
    reconnecting: 'Переподключение…',
    attachment: 'Вложение',
    attachmentPending: 'сохраняется…',
    attachmentFailed: 'не удалось сохранить: {reason}',
    justNow: 'только что',
    dialogView: 'Вид диалога',
    history: 'История',
    noHistory: 'Пока ничего не произошло.',
    admin: 'Администратор',
    system: 'Parley',
    hOpened: 'диалог открыт',
    hAssigned: 'назначен исполнитель: {name}',
    hUnassigned: 'исполнитель снят',
    hClosed: 'диалог закрыт',
    hReopened: 'диалог открыт снова',
    hReopenedByMessage: 'диалог открыт снова сообщением клиента',
    hReopenedByReply: 'диалог открыт снова ответом',
    hTitle: 'название изменено на «{title}»',
    hReceived: 'получено сообщение клиента',
    hSent: 'отправлен ответ',
    hDelivery: 'канал сообщил: ответ {status}',
    deliverySent: 'отправлено',
    deliveryDelivered: 'доставлено',
    deliveryRead: 'прочитано',
    deliveryFailed: 'не доставлено',
    hMerged: 'объединены контакты клиента ({count}): {ids}',
  },
};

const pickLanguage = () => {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && MESSAGES[saved]) return saved;
  const preferred = (navigator.languages || [navigator.language || 'en'])[0] || 'en';
  return preferred.toLowerCase().startsWith('ru') ? 'ru' : 'en';
};

let lang = pickLanguage();

function t(key, values = {}) {
  const template = (MESSAGES[lang] && MESSAGES[lang][key]) || MESSAGES.en[key] || key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** The browser's own locale when it speaks the chosen language (en-GB dates), else the language. */
function locale() {
  const browser = navigator.language || lang;
  return browser.toLowerCase().startsWith(lang) ? browser : lang;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  $('lang').value = lang;
  document.title = t('appName');
  for (const node of document.querySelectorAll('[data-i18n]'))
    node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]'))
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  for (const node of document.querySelectorAll('[data-i18n-label]'))
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
}

// ---- time ----

const exactTime = (iso) =>
  new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });

const UNITS = [
  ['year', 365 * 24 * 3600e3],
  ['month', 30 * 24 * 3600e3],
  ['week', 7 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
];

function largestUnit(ms) {
  for (const [unit, size] of UNITS)
    if (Math.abs(ms) >= size) return [unit, Math.floor(Math.abs(ms) / size)];
  return null;
}

/** "5 min ago" in the operator's language. */
function timeAgo(iso) {
  const found = largestUnit(Date.now() - new Date(iso).getTime());
  if (!found) return t('justNow');
  const [unit, count] = found;
  return new Intl.RelativeTimeFormat(locale(), { numeric: 'auto', style: 'short' }).format(
    -count,
    unit,
  );
}

/** "5 min", "2 hr": how long a customer has waited ("< 1 min" at first). */
function duration(iso) {
  const found = largestUnit(Date.now() - new Date(iso).getTime());
  const [unit, count] = found || ['minute', 1];
  const words = new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit,
    unitDisplay: 'short',
  }).format(count);
  return found ? words : `< ${words}`;
}

/** A <time> in words, the exact time on hover; re-worded by the clock tick. */
function timeElement(iso, className = 'ago') {
  const node = element('time', {
    datetime: iso,
    title: exactTime(iso),
    className,
    text: timeAgo(iso),
  });
  node.dataset.ago = '1';
  return node;
}

function tickClock() {
  for (const node of document.querySelectorAll('time[data-ago]')) {
    node.textContent = timeAgo(node.dateTime);
    node.title = exactTime(node.dateTime);
  }
  for (const node of document.querySelectorAll('[data-waiting-since]')) {
    node.textContent = t('waitingFor', { duration: duration(node.dataset.waitingSince) });
  }
}

const fileSize = (bytes) => {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
};

// ---- state and API ----

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  /** the latest position seen (our writes, the live feed): reads wait for the read models to have it */
  position: null,
  directory: { operators: [], channels: [] },
  dialogs: [],
  nextCursor: null,
  selected: null,
  contact: null,
  /** the open dialog's messages as last read, to re-render without a fetch */
  messages: null,
  /** counts dialogs asked for: a slow answer for an earlier one is dropped */
  opening: 0,
  /** one key per draft, so a retried send appends the reply once */
  draftKey: crypto.randomUUID(),
  timers: [],
  events: null,
  lastEventId: null,
  liveTimer: null,
  changed: new Set(),
  listGeneration: 0,
  /** the open dialog's timeline (see "the history timeline") */
  history: null,
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
  // history is read from the event store itself: it never waits, and takes no min_position
  if (
    method === 'GET' &&
    state.position &&
    path.startsWith('/api/dialogs') &&
    !path.endsWith('/history')
  )
    url.searchParams.set('min_position', state.position);
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
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function myId() {
  return state.me && state.me.type === 'operator' ? state.me.operator_id : null;
}

function operatorName(id) {
  if (!id) return null;
  if (id === myId()) return t('you');
  const found = state.directory.operators.find((o) => o.operator_id === id);
  return found ? found.name : t('operator');
}

function dialogLabel(dialog) {
  return (
    dialog.contact_name ||
    dialog.title ||
    dialog.reference ||
    t('dialogNamed', { id: dialog.dialog_id.slice(-6) })
  );
}

function assigneeText(dialog) {
  if (!dialog.assignee_id) return t('notAssigned');
  if (dialog.assignee_id === myId()) return t('assignedToYou');
  return t('assignedTo', { name: dialog.assignee_name || operatorName(dialog.assignee_id) });
}

function authorOf(last) {
  if (last.direction === 'outgoing')
    return last.operator_id === myId() ? t('you') : last.author_name || t('operator');
  return last.author_name || t('customer');
}

// ---- sign-in ----

function showSignIn(message) {
  stopLive();
  $('inbox').hidden = true;
  $('sign-out').hidden = true;
  $('live').hidden = true;
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
    showSignIn(error.status === 401 ? t('invalidToken') : error.message);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('sign-in').hidden = true;
  $('inbox').hidden = false;
  $('sign-out').hidden = false;
  $('assignee-filter').querySelector('option[value=mine]').hidden = state.me.type !== 'operator';
  state.directory = await api('GET', '/api/inbox/directory');
  renderChannelFilter();
  state.timers.push(setInterval(tickClock, CLOCK_TICK_MS));
  await startLive();
}

function renderChannelFilter() {
  const select = $('channel-filter');
  const chosen = select.value;
  select.replaceChildren(
    element('option', { value: '', 'data-i18n': 'allChannels', text: t('allChannels') }),
    ...state.directory.channels.map((c) =>
      element('option', { value: c.channel_id, text: c.name }),
    ),
  );
  select.value = chosen;
}

// ---- live: Server-Sent Events from the log ----

async function renewTicket() {
  await api('POST', '/api/inbox/stream-ticket');
}

async function startLive() {
  await renewTicket();
  state.timers.push(
    setInterval(
      () => renewTicket().catch((error) => error.status === 401 && showSignIn(t('sessionEnded'))),
      TICKET_RENEW_MS,
    ),
  );
  openEvents();
}

function openEvents() {
  if (state.events) state.events.close();
  // a new EventSource cannot send Last-Event-ID: the query parameter carries it
  const url = state.lastEventId
    ? `/api/inbox/events?last_event_id=${encodeURIComponent(state.lastEventId)}`
    : '/api/inbox/events';
  const events = new EventSource(url);
  state.events = events;
  let first = true;
  events.addEventListener('ready', (event) => {
    const { position } = JSON.parse(event.data);
    if (position) state.position = position;
    if (event.lastEventId) state.lastEventId = event.lastEventId;
    showLive(true);
    // the first connection (and one that had to start over) loads the list from the same position
    if (first && !state.listLoaded) refreshList().catch(reportBackground);
    first = false;
  });
  events.addEventListener('dialog', (event) => {
    state.lastEventId = event.lastEventId;
    onLive(JSON.parse(event.data));
  });
  events.addEventListener('error', () => {
    showLive(false);
    if (events.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
    // refused (an expired ticket): renew it and open a new stream where this one stopped
    setTimeout(() => {
      if (state.events !== events) return;
      renewTicket()
        .then(openEvents)
        .catch((error) =>
          error.status === 401 ? showSignIn(t('sessionEnded')) : setTimeout(openEvents, 2000),
        );
    }, 1000);
  });
}

function showLive(connected) {
  const node = $('live');
  node.hidden = false;
  node.textContent = connected ? t('live') : t('reconnecting');
  node.classList.toggle('offline', !connected);
}

function stopLive() {
  for (const timer of state.timers) clearInterval(timer);
  state.timers = [];
  if (state.events) state.events.close();
  state.events = null;
  state.lastEventId = null;
  state.listLoaded = false;
}

/** Many events in a burst become one list refresh (and one dialog refresh when it is open). */
function onLive(change) {
  if (change.position) state.position = change.position;
  if (change.dialog_id) state.changed.add(change.dialog_id);
  clearTimeout(state.liveTimer);
  state.liveTimer = setTimeout(() => {
    const changed = state.changed;
    state.changed = new Set();
    mergeFirstPage(changed).catch(reportBackground);
    if (state.selected && changed.has(state.selected.dialog_id)) {
      refreshDialog().catch(reportBackground);
      refreshHistory().catch(reportBackground);
    }
    if (state.contact && state.selected) refreshOtherDialogs().catch(reportBackground);
  }, LIVE_DEBOUNCE_MS);
}

// ---- dialog list ----

function listQuery(cursor) {
  const assignee = $('assignee-filter').value;
  return {
    status: $('status-filter').value,
    channel_id: $('channel-filter').value,
    assignee_id: assignee === 'mine' ? myId() : '',
    assigned: assignee === 'unassigned' ? 'false' : '',
    q: $('search').value.trim(),
    limit: PAGE_SIZE,
    cursor,
  };
}

async function refreshList() {
  const generation = ++state.listGeneration;
  $('list-status').textContent = t('loading');
  const page = await api('GET', '/api/dialogs', { query: listQuery() });
  if (generation !== state.listGeneration) return; // a newer filter answered already
  state.dialogs = page.items;
  state.nextCursor = page.next_cursor;
  state.listLoaded = true;
  renderList();
}

/**
 * A changed dialog is the most recently updated: if it still matches the filters it is on the
 * first page. Take that page, keep the rest of what is loaded, drop changed ones not on it.
 */
async function mergeFirstPage(changed) {
  if (!state.listLoaded) return; // the first load is under way and will include the change
  const generation = state.listGeneration;
  const page = await api('GET', '/api/dialogs', { query: listQuery() });
  if (generation !== state.listGeneration) return;
  const onPage = new Set(page.items.map((d) => d.dialog_id));
  const rest = state.dialogs.filter((d) => !onPage.has(d.dialog_id) && !changed.has(d.dialog_id));
  const keepFocus = document.activeElement && document.activeElement.dataset.dialogId;
  // what lies between the new first page and the cursor stays, so "More" goes on from there
  state.dialogs = page.items.concat(rest);
  if (state.nextCursor === null && rest.length === 0) state.nextCursor = page.next_cursor;
  renderList(keepFocus);
}

async function loadMoreDialogs() {
  if (!state.nextCursor || state.loadingMore) return;
  state.loadingMore = true;
  try {
    const page = await api('GET', '/api/dialogs', { query: listQuery(state.nextCursor) });
    const known = new Set(state.dialogs.map((d) => d.dialog_id));
    state.dialogs = state.dialogs.concat(page.items.filter((d) => !known.has(d.dialog_id)));
    state.nextCursor = page.next_cursor;
    renderList();
  } finally {
    state.loadingMore = false;
  }
}

function renderDialogItem(dialog) {
  const last = dialog.last_message;
  const selected = state.selected && state.selected.dialog_id === dialog.dialog_id;
  const channel = dialog.channel_name || '';
  const button = element(
    'button',
    {
      type: 'button',
      className: `dialog-item${dialog.waiting_since ? ' is-waiting' : ''}`,
      'data-dialog-id': dialog.dialog_id,
      'aria-current': selected ? 'true' : null,
    },
    [
      element('span', { className: 'row' }, [
        element('span', { className: 'name', text: dialogLabel(dialog) }),
        last ? timeElement(last.at) : null,
      ]),
      element('span', { className: 'preview' }, [
        last ? element('span', { className: 'author', text: `${authorOf(last)}: ` }) : null,
        element('span', { text: last ? last.preview || t('attachment') : dialog.title || '' }),
      ]),
      element('span', { className: 'row tags' }, [
        channel ? element('span', { className: 'tag channel', text: channel }) : null,
        element('span', { className: `tag status-${dialog.status}`, text: t(dialog.status) }),
        element('span', { className: 'tag assignee', text: assigneeText(dialog) }),
        dialog.waiting_since
          ? element('span', {
              className: 'tag waiting',
              title: t('waitingTitle', { time: exactTime(dialog.waiting_since) }),
              'data-waiting-since': dialog.waiting_since,
              text: t('waitingFor', { duration: duration(dialog.waiting_since) }),
            })
          : null,
      ]),
    ],
  );
  button.addEventListener('click', () => openDialog(dialog.dialog_id).catch(showDialogError));
  return element('li', {}, [button]);
}

function renderList(focusId) {
  const list = $('dialog-list');
  list.replaceChildren(...state.dialogs.map(renderDialogItem));
  $('list-status').textContent = state.dialogs.length === 0 ? t('noDialogs') : '';
  $('more-dialogs').hidden = !state.nextCursor;
  if (focusId) {
    const again = list.querySelector(`[data-dialog-id="${CSS.escape(focusId)}"]`);
    if (again) again.focus();
  }
}

/** Up and down move through the dialogs; Enter (the button's own) opens one. */
function moveInList(event) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const buttons = [...$('dialog-list').querySelectorAll('button[data-dialog-id]')];
  if (buttons.length === 0) return;
  event.preventDefault();
  const at = buttons.indexOf(document.activeElement);
  const next =
    at === -1
      ? 0
      : Math.max(0, Math.min(buttons.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)));
  buttons[next].focus();
  if (next === buttons.length - 1 && state.nextCursor) loadMoreDialogs().catch(reportBackground);
}

// ---- one dialog ----

function showPane(pane) {
  $('inbox').dataset.pane = pane;
}

async function openDialog(dialogId) {
  // the last dialog asked for wins, whatever order the answers come in
  const opening = ++state.opening;
  state.draftKey = crypto.randomUUID();
  $('reply-error').textContent = '';
  const dialog = await api('GET', `/api/dialogs/${dialogId}`);
  if (opening !== state.opening) return;
  if (!state.selected || state.selected.dialog_id !== dialog.dialog_id) forgetKeptFiles();
  state.selected = dialog;
  state.messages = null;
  state.contact = null;
  state.history = null;
  $('timeline').replaceChildren();
  renderList();
  showPane('dialog');
  await refreshDialog();
  if (historyShown()) await refreshHistory();
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
  state.messages = messages.items;
  renderDialog(dialog, messages.items);
  if (!state.contact || state.contact.contact_id !== dialog.contact_id) await refreshContact();
}

function renderDialog(dialog, messages) {
  $('empty').hidden = true;
  $('dialog').hidden = false;
  $('dialog-title').textContent = dialogLabel(dialog);
  $('dialog-meta').textContent = [
    dialog.channel_name,
    dialog.title && dialog.title !== dialogLabel(dialog) ? dialog.title : null,
    dialog.reference ? t('reference', { reference: dialog.reference }) : null,
    t(dialog.status),
    assigneeText(dialog),
  ]
    .filter(Boolean)
    .join(' · ');

  renderAssignee(dialog);
  $('toggle-status').textContent = dialog.status === 'open' ? t('close') : t('reopen');

  const list = $('messages');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren(...messages.map((m) => renderMessage(m, dialog)));
  if (atBottom || state.justOpened !== dialog.dialog_id) list.scrollTop = list.scrollHeight;
  state.justOpened = dialog.dialog_id;
}

function renderAssignee(dialog) {
  const select = $('assignee-select');
  select.replaceChildren(
    element('option', { value: '', text: t('notAssigned') }),
    ...state.directory.operators.map((o) =>
      element('option', {
        value: o.operator_id,
        text: o.operator_id === myId() ? `${o.name} (${t('you')})` : o.name,
      }),
    ),
  );
  select.value = dialog.assignee_id || '';
  const assign = $('assign');
  const mine = dialog.assignee_id !== null && dialog.assignee_id === myId();
  assign.hidden = state.me.type !== 'operator' && dialog.assignee_id === null;
  assign.textContent =
    mine || (state.me.type !== 'operator' && dialog.assignee_id) ? t('unassign') : t('assignToMe');
}

function senderOf(message, dialog) {
  if (message.direction === 'outgoing') return operatorName(message.operator_id) || t('operator');
  return dialog.contact_name || t('customer');
}

// ---- attachments ----

/**
 * Parley's kept copy of a file answers a bearer token only (GET /api/attachments/{id}), which
 * an <img> or a link cannot send: the inbox fetches it and shows it through a blob: URL. Each
 * file is fetched once per open dialog; the URLs are let go when another dialog opens.
 */
const keptFiles = new Map();

function keptFile(attachment) {
  let file = keptFiles.get(attachment.id);
  if (!file) {
    file = fetch(attachment.download, { headers: { authorization: `Bearer ${state.token}` } }).then(
      async (response) => {
        if (!response.ok)
          throw new ApiError(response.status, await response.json().catch(() => null));
        const blob = await response.blob();
        return { blob, url: URL.createObjectURL(blob) };
      },
    );
    // a failed fetch is tried again at the next render
    file.catch(() => keptFiles.delete(attachment.id));
    keptFiles.set(attachment.id, file);
  }
  return file;
}

function forgetKeptFiles() {
  for (const file of keptFiles.values())
    file.then((f) => URL.revokeObjectURL(f.url)).catch(() => undefined);
  keptFiles.clear();
}

/**
 * Saves the kept file under its name. The bytes go out as application/octet-stream, so that a
 * file claiming to be HTML or SVG is never rendered in the inbox's origin.
 */
async function saveKeptFile(attachment) {
  const { blob } = await keptFile(attachment);
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
  const link = element('a', { href: url, download: attachment.name || 'attachment' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function attachmentLink(attachment, props, children) {
  // kept: Parley's copy, with the token; linked (or no state, as in time travel): the URL as given
  if (attachment.state === 'stored' && attachment.download) {
    const link = element('a', { ...props, href: attachment.download }, children);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      saveKeptFile(attachment).catch(reportBackground);
    });
    return link;
  }
  return element(
    'a',
    { ...props, href: attachment.url, target: '_blank', rel: 'noopener noreferrer nofollow' },
    children,
  );
}

function attachmentState(attachment) {
  if (attachment.state === 'pending')
    return element('span', { className: 'kept pending', text: ` ${t('attachmentPending')}` });
  return element('span', {
    className: 'kept failed',
    text: ` ${t('attachmentFailed', { reason: attachment.reason || '' })}`,
  });
}

function renderAttachment(a) {
  const size = fileSize(a.size);
  // pending or failed: there is nothing of Parley's to open, and the original URL may be dead
  if (a.state === 'pending' || a.state === 'failed') {
    return element('li', { className: 'file', 'data-state': a.state }, [
      element('span', { className: 'name', text: a.name }),
      element('span', { className: 'meta', text: ` ${size}` }),
      attachmentState(a),
    ]);
  }
  if (/^image\//.test(a.mimeType)) {
    const img = element('img', {
      alt: a.name,
      className: 'thumb',
      width: '160',
      height: '120',
      ...(a.state === 'stored' ? {} : { src: a.url, loading: 'lazy' }),
    });
    if (a.state === 'stored')
      keptFile(a)
        .then((file) => img.setAttribute('src', file.url))
        .catch(reportBackground);
    return element('li', { className: 'image', 'data-state': a.state || 'linked' }, [
      attachmentLink(a, { title: `${a.name}, ${size}` }, [img]),
    ]);
  }
  return element('li', { className: 'file', 'data-state': a.state || 'linked' }, [
    attachmentLink(a, { text: a.name }),
    element('span', { className: 'meta', text: ` ${size}` }),
  ]);
}

function renderAttachments(attachments) {
  return element('ul', { className: 'attachments' }, attachments.map(renderAttachment));
}

function deliveryWord(status) {
  return t(`delivery${status.charAt(0).toUpperCase()}${status.slice(1)}`);
}

/** An operator's reply: sent, delivered, read or failed, as the channel reported it. */
function renderDelivery(message) {
  const status = message.status;
  const when = message.status_at ? exactTime(message.status_at) : '';
  const reason = status === 'failed' && message.status_reason ? `: ${message.status_reason}` : '';
  return element('span', {
    className: `delivery ${status}`,
    'data-status': status,
    title: `${deliveryWord(status)}${reason}${when ? ` · ${when}` : ''}`,
    text: `${deliveryWord(status)}${reason}`,
  });
}

function renderMessage(message, dialog) {
  const meta = [
    element('span', { className: 'sender', text: senderOf(message, dialog) }),
    element('time', {
      datetime: message.created_at,
      title: exactTime(message.created_at),
      text: exactTime(message.created_at),
    }),
  ];
  if (message.direction === 'outgoing' && message.status) meta.push(renderDelivery(message));
  const body = [element('header', { className: 'message-meta' }, meta)];
  // a message may carry both: the text as written, and its html
  if (message.text) body.push(element('div', { className: 'text', text: message.text }));
  if (message.html) {
    // the read model serves html sanitized by Parley (an allow-list of tags and attributes)
    const html = element('div', { className: 'html' });
    html.innerHTML = message.html;
    for (const a of html.querySelectorAll('a'))
      a.setAttribute('rel', 'noopener noreferrer nofollow');
    body.push(html);
  }
  if (message.attachments.length > 0) body.push(renderAttachments(message.attachments));
  return element(
    'li',
    { className: `message ${message.direction}`, 'data-message-id': message.message_id },
    body,
  );
}

// ---- the contact panel ----

async function refreshContact() {
  const dialog = state.selected;
  if (!dialog) return;
  let contact = null;
  try {
    contact = await api('GET', `/api/contacts/${dialog.contact_id}`);
  } catch (error) {
    if (error.status !== 404) throw error;
  }
  state.contact = contact || {
    contact_id: dialog.contact_id,
    name: dialog.contact_name,
    contacts: [],
    merged_ids: [],
  };
  renderContact();
  await refreshOtherDialogs();
}

function renderContact() {
  const contact = state.contact;
  $('contact-panel').hidden = false;
  $('contact-name').textContent = contact.name || t('unnamed');
  $('contact-description').textContent = contact.description || '';
  const data = $('contact-data');
  data.replaceChildren(
    ...contact.contacts.flatMap((item) => [
      element('dt', { text: `${item.type} · ${item.service}` }),
      element('dd', { text: item.value }),
    ]),
  );
  if (contact.contacts.length === 0) data.append(element('dt', { text: t('none') }), element('dd'));
  const merged = $('merged-ids');
  merged.replaceChildren(
    ...contact.merged_ids.map((id) => element('li', { className: 'mono', text: id })),
  );
  if (contact.merged_ids.length === 0)
    merged.append(element('li', { className: 'meta', text: t('none') }));
}

async function refreshOtherDialogs() {
  const contact = state.contact;
  const current = state.selected;
  if (!contact || !current) return;
  const page = await api('GET', '/api/dialogs', {
    query: { contact_id: contact.contact_id, limit: 20 },
  });
  if (state.contact !== contact) return;
  const others = page.items.filter((d) => d.dialog_id !== current.dialog_id);
  const list = $('other-dialogs');
  list.replaceChildren(
    ...others.map((d) => {
      const button = element(
        'button',
        { type: 'button', className: 'link other-dialog', 'data-dialog-id': d.dialog_id },
        [
          element('span', {
            text:
              d.title ||
              d.reference ||
              (d.last_message
                ? d.last_message.preview
                : t('dialogNamed', { id: d.dialog_id.slice(-6) })),
          }),
          element('span', { className: 'meta', text: ` · ${t(d.status)}` }),
          d.last_message
            ? element('span', { className: 'meta' }, [' · ', timeElement(d.last_message.at)])
            : null,
        ],
      );
      button.addEventListener('click', () => openDialog(d.dialog_id).catch(showDialogError));
      return element('li', {}, [button]);
    }),
  );
  if (others.length === 0) list.append(element('li', { className: 'meta', text: t('none') }));
}

// ---- the history timeline ----
//
// From the audit API (GET /api/dialogs/{id}/history), oldest first: the API pages in log order,
// so each "More" goes on exactly where the last page stopped and the timeline reads the way the
// messages do. The contact's merges come from its history with include_merged (ContactsMerged
// only) and are interleaved by log position.

const HISTORY_PAGE = 100;
/** "123:45": both event stores' positions are such pairs, ordered by the first, then the second */
function positionKey(position) {
  const match = /^(\d+):(\d+)$/.exec(position || '');
  return match ? [BigInt(match[1]), BigInt(match[2])] : [0n, 0n];
}
function beforeOrAt(a, b) {
  const [x, y] = [positionKey(a), positionKey(b)];
  return x[0] < y[0] || (x[0] === y[0] && x[1] <= y[1]);
}

function historySource(path, query, keep) {
  return { path, query, keep, cursor: null, done: false, buffer: [], frontier: null };
}

function newHistory(dialog) {
  return {
    dialogId: dialog.dialog_id,
    generation: 0,
    shown: [],
    sources: [
      historySource(`/api/dialogs/${dialog.dialog_id}/history`, {}, () => true),
      historySource(
        `/api/contacts/${dialog.contact_id}/history`,
        { include_merged: 'true' },
        (item) => item.type === 'ContactsMerged',
      ),
    ],
  };
}

async function fillSource(source) {
  let page;
  try {
    page = await api('GET', source.path, {
      query: { ...source.query, limit: HISTORY_PAGE, cursor: source.cursor },
    });
  } catch (error) {
    if (error.status !== 404) throw error;
    page = { items: [], next_cursor: null }; // a contact without a stream has no merges
  }
  source.buffer.push(...page.items.filter(source.keep));
  if (page.items.length > 0) source.frontier = page.items[page.items.length - 1].position;
  source.cursor = page.next_cursor;
  source.done = page.next_cursor === null;
}

/** Moves items to `shown` in log order while no source with more to read could come first. */
function emitHistory(history) {
  let moved = 0;
  for (;;) {
    const heads = history.sources.filter((s) => s.buffer.length > 0);
    if (heads.length === 0) return moved;
    heads.sort((a, b) => (beforeOrAt(a.buffer[0].position, b.buffer[0].position) ? -1 : 1));
    const next = heads[0].buffer[0];
    const blocked = history.sources.some(
      (s) =>
        s.buffer.length === 0 &&
        !s.done &&
        (s.frontier === null || !beforeOrAt(next.position, s.frontier)),
    );
    if (blocked) return moved;
    history.shown.push(heads[0].buffer.shift());
    moved += 1;
  }
}

const historyPending = (history) => history.sources.some((s) => !s.done || s.buffer.length > 0);

async function loadHistory(history, atLeast) {
  const start = history.shown.length;
  while (history.shown.length - start < atLeast && historyPending(history)) {
    await Promise.all(
      history.sources.filter((s) => s.buffer.length === 0 && !s.done).map(fillSource),
    );
    emitHistory(history);
    if (history.sources.every((s) => s.done)) {
      // the rest is all buffered: nothing can come before it any more
      while (emitHistory(history) > 0);
      for (const s of history.sources) history.shown.push(...s.buffer.splice(0));
      history.shown.sort((a, b) => (beforeOrAt(a.position, b.position) ? -1 : 1));
    }
  }
}

function historyShown() {
  return !$('history-panel').hidden;
}

/** Reads the timeline again (as far as was shown) when it is on screen; a newer read wins. */
async function refreshHistory() {
  const dialog = state.selected;
  if (!dialog || !historyShown()) return;
  const history = newHistory(dialog);
  const wanted = Math.max(HISTORY_PAGE, state.history ? state.history.shown.length : 0);
  state.history = history;
  $('timeline-status').textContent = t('loading');
  await loadHistory(history, wanted);
  if (state.history !== history) return;
  renderHistory();
}

async function loadMoreHistory() {
  const history = state.history;
  if (!history) return;
  await loadHistory(history, HISTORY_PAGE);
  if (state.history === history) renderHistory();
}

function actorName(actor) {
  if (!actor) return t('system');
  if (actor.type === 'operator') return operatorName(actor.operatorId);
  if (actor.type === 'integration') {
    const channel = state.directory.channels.find((c) => c.channel_id === actor.channelId);
    return channel ? channel.name : t('channel');
  }
  return actor.type === 'admin' ? t('admin') : t('system');
}

/** The line in the operator's language; the API's English summary for anything else. */
function historyLine(item) {
  const data = item.data || {};
  switch (item.type) {
    case 'DialogOpened':
      return t('hOpened');
    case 'DialogAssigned':
      return data.assigneeId
        ? t('hAssigned', { name: operatorName(data.assigneeId) })
        : t('hUnassigned');
    case 'DialogStatusChanged':
      return data.status === 'closed' ? t('hClosed') : t('hReopened');
    case 'DialogReopened':
      return data.reason === 'message_received' ? t('hReopenedByMessage') : t('hReopenedByReply');
    case 'DialogTitleChanged':
      return t('hTitle', { title: data.title || '' });
    case 'MessageReceived':
      return t('hReceived');
    case 'MessageSent':
      return t('hSent');
    case 'MessageDeliveryStatusChanged':
      return t('hDelivery', { status: deliveryWord(data.status) });
    case 'ContactsMerged': {
      const ids = data.mergedContactIds || [];
      return t('hMerged', { count: ids.length, ids: ids.join(', ') });
    }
    default:
      return item.summary;
  }
}

function renderHistoryItem(item) {
  const kind = item.type.replace(/[^A-Za-z]/g, '');
  return element(
    'li',
    { className: `event type-${kind}`, 'data-type': item.type, 'data-position': item.position },
    [
      element('span', { className: 'who', text: actorName(item.actor) }),
      ' ',
      element('span', { className: 'what', text: historyLine(item) }),
      ' ',
      timeElement(item.recorded_at),
    ],
  );
}

function renderHistory() {
  const history = state.history;
  if (!history) return;
  $('timeline').replaceChildren(...history.shown.map(renderHistoryItem));
  $('timeline-status').textContent = history.shown.length === 0 ? t('noHistory') : '';
  $('more-history').hidden = !historyPending(history);
}

/** Messages and History are tabs: arrows move between them, the chosen one's panel shows. */
function showView(name, focus) {
  for (const [view, tab, panel] of [
    ['messages', 'tab-messages', 'messages-panel'],
    ['history', 'tab-history', 'history-panel'],
  ]) {
    const chosen = view === name;
    $(tab).setAttribute('aria-selected', String(chosen));
    $(tab).tabIndex = chosen ? 0 : -1;
    $(panel).hidden = !chosen;
    if (chosen && focus) $(tab).focus();
  }
  if (name === 'history') refreshHistory().catch(showDialogError);
}

// ---- commands ----

function showDialogError(error) {
  if (error.status === 401) return showSignIn(t('sessionEnded'));
  $('reply-error').textContent = error.message;
}

function reportBackground(error) {
  if (error.status === 401) showSignIn(t('sessionEnded'));
  else $('list-status').textContent = error.message;
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

async function assignTo(operatorId) {
  const dialog = state.selected;
  if (!dialog) return;
  if (operatorId) {
    await api('PUT', `/api/dialogs/${dialog.dialog_id}/assignee`, {
      body: { operator_id: operatorId },
    });
  } else {
    await api('DELETE', `/api/dialogs/${dialog.dialog_id}/assignee`);
  }
  await Promise.all([
    refreshDialog(),
    refreshHistory(),
    mergeFirstPage(new Set([dialog.dialog_id])),
  ]);
}

function toggleAssignee() {
  const dialog = state.selected;
  if (!dialog) return Promise.resolve();
  const unassign =
    dialog.assignee_id && (dialog.assignee_id === myId() || state.me.type !== 'operator');
  return assignTo(unassign ? null : myId());
}

async function toggleStatus() {
  const dialog = state.selected;
  if (!dialog) return;
  await api(
    'POST',
    `/api/dialogs/${dialog.dialog_id}/${dialog.status === 'open' ? 'close' : 'reopen'}`,
  );
  await Promise.all([
    refreshDialog(),
    refreshHistory(),
    mergeFirstPage(new Set([dialog.dialog_id])),
  ]);
}

// ---- wiring ----

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

document.addEventListener('DOMContentLoaded', () => {
  applyLanguage();
  $('lang').addEventListener('change', () => {
    lang = $('lang').value;
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
    if (state.me) {
      renderChannelFilter();
      renderList();
      if (state.selected && state.messages) renderDialog(state.selected, state.messages);
      if (state.contact) renderContact();
      if (state.history) renderHistory();
      if (state.events) showLive(state.events.readyState === EventSource.OPEN);
    }
  });
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim()).catch((error) => showSignIn(error.message));
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.selected = null;
    state.contact = null;
    forgetKeptFiles();
    showSignIn();
  });
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  const refilter = () => refreshList().catch(reportBackground);
  for (const id of ['status-filter', 'channel-filter', 'assignee-filter'])
    $(id).addEventListener('change', refilter);
  $('search').addEventListener('input', debounce(refilter, 250));
  $('search').addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      const first = $('dialog-list').querySelector('button[data-dialog-id]');
      if (first) first.focus();
    }
  });
  $('dialog-list').addEventListener('keydown', moveInList);
  $('more-dialogs').addEventListener('click', () => loadMoreDialogs().catch(reportBackground));
  $('dialog-list').addEventListener('scroll', () => {
    const list = $('dialog-list');
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - 200)
      loadMoreDialogs().catch(reportBackground);
  });
  $('reply-form').addEventListener('submit', sendReply);
  $('reply-text').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('reply-form').requestSubmit();
  });
  $('assign').addEventListener('click', () => toggleAssignee().catch(showDialogError));
  $('assignee-select').addEventListener('change', () =>
    assignTo($('assignee-select').value || null).catch(showDialogError),
  );
  $('toggle-status').addEventListener('click', () => toggleStatus().catch(showDialogError));
  $('tab-messages').addEventListener('click', () => showView('messages'));
  $('tab-history').addEventListener('click', () => showView('history'));
  for (const id of ['tab-messages', 'tab-history']) {
    $(id).addEventListener('keydown', (event) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
      event.preventDefault();
      showView(id === 'tab-messages' ? 'history' : 'messages', true);
    });
  }
  $('more-history').addEventListener('click', () => loadMoreHistory().catch(showDialogError));
  $('back').addEventListener('click', () => {
    showPane('list');
    const current =
      state.selected &&
      $('dialog-list').querySelector(`[data-dialog-id="${CSS.escape(state.selected.dialog_id)}"]`);
    if (current) current.focus();
  });
  $('show-contact').addEventListener('click', () => {
    showPane('contact');
    $('hide-contact').focus();
  });
  $('hide-contact').addEventListener('click', () => {
    showPane('dialog');
    $('show-contact').focus();
  });
  // `/` goes to the search box, unless one is typing
  document.addEventListener('keydown', (event) => {
    const typing =
      event.target.closest && event.target.closest('input, textarea, select, [contenteditable]');
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      showPane('list');
      $('search').focus();
      $('search').select();
    }
  });
  if (state.token) signIn(state.token).catch((error) => showSignIn(error.message));
  else showSignIn();
});
