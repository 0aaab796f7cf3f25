// The chat page of `unified-ws serve --dev-auth`: plain JavaScript on the browser build of
// unified-ws/client, loaded as ES modules straight from the package files the server serves — no
// bundler. Frames come from the network: their text only ever reaches the page as text
// (textContent, createElement), never as HTML.
import { UnifiedWsClient, AGENT_EVENTS, isClientError } from '/unified-ws/client/index.js';

const WS_PATH = document.querySelector('meta[name="unified-ws-path"]')?.content || '/ws';
const USER_ID = /^[\w.@-]{1,128}$/;

const $ = (id) => document.getElementById(id);
const ui = {
  state: $('state'),
  stateText: $('state-text'),
  connectForm: $('connect-form'),
  userId: $('user-id'),
  tokenPreview: $('token-preview'),
  connect: $('connect'),
  disconnect: $('disconnect'),
  askForm: $('ask-form'),
  message: $('message'),
  send: $('send'),
  examples: [...document.querySelectorAll('.example')],
  runs: $('runs'),
  noRuns: $('no-runs'),
  activity: $('activity'),
};

/** The client of the current connection, if any; a new Connect replaces it. */
let client;
/** runId → the run's card. */
const runs = new Map();

/** An element with a class and text: the only way payload text reaches the page. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A value as short readable text: strings as they are, anything else as compact JSON. */
function show(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function clock(date = new Date()) {
  return date.toLocaleTimeString([], { hour12: false });
}

/** One line of activity; the same line again (a reconnect that keeps failing) counts up instead. */
function log(text, level = 'info') {
  const last = ui.activity.firstElementChild;
  if (last && last.dataset.text === text) {
    const repeats = Number(last.dataset.repeats) + 1;
    last.dataset.repeats = String(repeats);
    last.querySelector('time').textContent = clock();
    last.querySelector('.repeats').textContent = `×${repeats}`;
    return;
  }
  const item = el('li');
  item.dataset.level = level;
  item.dataset.text = text;
  item.dataset.repeats = '1';
  item.append(el('time', '', clock()), el('span', '', text), el('span', 'repeats'));
  ui.activity.prepend(item);
  while (ui.activity.children.length > 50) ui.activity.lastElementChild.remove();
}

/** The refusals the client does not retry: a person has to change something. */
const isRefusal = (error) =>
  isClientError(error) && /UNAUTHORIZED|FORBIDDEN|NOT_FOUND/.test(error.code);

/** The user the current client connects as. */
let connectedAs;

function setState(state, text) {
  ui.state.dataset.state = state;
  ui.stateText.textContent = text;
  const open = state === 'connected';
  for (const control of [ui.message, ui.send, ...ui.examples]) control.disabled = !open;
  ui.disconnect.disabled = client === undefined;
  updateConnectButton();
}

/**
 * Connect; Switch user while a client runs for someone else; Retry now while it waits to
 * reconnect; nothing to do while connected as that user.
 */
function updateConnectButton() {
  const value = ui.userId.value.trim();
  const valid = USER_ID.test(value);
  const state = ui.state.dataset.state;
  const active = client !== undefined && state !== 'refused';
  const same = active && value === connectedAs;
  ui.connect.textContent = !active
    ? 'Connect'
    : !same
      ? 'Switch user'
      : state === 'connected'
        ? 'Connected'
        : 'Retry now';
  ui.connect.disabled = !valid || (same && (state === 'connected' || state === 'connecting'));
}

/** What an error says to a person: its code and message. */
function describe(error) {
  if (isClientError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function wsUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}

function connect(userId) {
  client?.close();
  const token = `dev:${userId}`;
  const current = new UnifiedWsClient({ url: wsUrl(), token });
  client = current;
  connectedAs = userId;
  // Events of a client replaced by a newer Connect are ignored.
  const on = (event, listener) =>
    current.on(event, (...args) => {
      if (client === current) listener(...args);
    });
  on('open', (welcome) => {
    setState('connected', `connected as ${welcome.userId}`);
    log(`connected as ${welcome.userId} (stream epoch ${welcome.epoch}, seq ${welcome.seq})`);
  });
  on('close', ({ code, reason, willReconnect }) => {
    setState(willReconnect ? 'reconnecting' : 'idle', willReconnect ? 'reconnecting…' : 'closed');
    log(`connection closed (${code}${reason ? ` ${reason}` : ''})`);
  });
  on('reconnect_attempt', ({ attempt, delayMs }) => {
    setState(
      'reconnecting',
      `reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt})`,
    );
  });
  on('connect_error', (error) =>
    log(`could not connect: ${describe(error)}`, isRefusal(error) ? 'error' : 'info'),
  );
  on('reconnect_failed', (error) => {
    setState('failed', 'gave up reconnecting');
    log(`gave up: ${describe(error)}`, 'error');
  });
  on('resumed', (frame) =>
    log(
      frame.recovered
        ? `resumed: ${frame.replayed} missed event${frame.replayed === 1 ? '' : 's'} replayed`
        : 'resumed: the server restarted, earlier runs may be incomplete',
    ),
  );
  on('error', (error) => log(describe(error), 'error'));
  on('envelope', (envelope) => showEnvelope(envelope));

  setState('connecting', `connecting as ${userId}…`);
  current.connect().catch((error) => {
    if (client !== current) return;
    const refused = isRefusal(error);
    setState(refused ? 'refused' : 'failed', refused ? 'refused by the server' : 'not connected');
    log(`connect failed: ${describe(error)}`, 'error');
  });
}

function disconnect() {
  const current = client;
  client = undefined;
  connectedAs = undefined;
  current?.close();
  setState('idle', 'not connected');
  log('disconnected');
}

/** The card of a run, made on its first event. */
function runCard(runId, envelope) {
  let run = runs.get(runId);
  if (run) return run;
  const card = el('li', 'run');
  card.dataset.runId = runId;
  card.dataset.status = 'running';
  const head = el('div', 'run-head');
  const question = el('span', 'run-question', 'run');
  const badge = el('span', 'badge', 'running');
  const id = el('span', 'run-id mono', runId.slice(0, 8));
  id.title = runId;
  head.append(question, badge, id);
  const events = el('ol', 'events');
  card.append(head, events);
  ui.runs.prepend(card);
  ui.noRuns.hidden = true;
  run = { card, question, badge, events, startedAt: envelope.ts };
  runs.set(runId, run);
  return run;
}

/** One line of detail per agent event. */
function detailOf(type, payload) {
  const p = payload ?? {};
  switch (type) {
    case 'agent_started':
      return `${show(p.agent)} started`;
    case 'agent_thinking':
      return show(p.text);
    case 'tool_executing':
      return `${show(p.tool)} ${show(p.input)}`;
    case 'tool_completed':
      return p.status === 'ok'
        ? `${show(p.tool)} → ${show(p.output)}`
        : `${show(p.tool)} failed: ${show(p.error?.message ?? p.error)}`;
    case 'agent_completed':
      return p.status === 'ok'
        ? show(p.result?.answer ?? p.result)
        : `failed: ${show(p.error?.message ?? p.error)}`;
    default:
      return show(payload);
  }
}

function showEnvelope(envelope) {
  if (!AGENT_EVENTS.includes(envelope.type) || typeof envelope.runId !== 'string') {
    log(`${envelope.type}: ${show(envelope.payload)}`);
    return;
  }
  const run = runCard(envelope.runId, envelope);
  const payload = envelope.payload ?? {};
  if (envelope.type === 'agent_started' && payload.input !== undefined)
    run.question.textContent = show(payload.input);
  const row = el('li', 'event');
  row.dataset.type = envelope.type;
  row.dataset.seq = String(envelope.seq);
  if (payload.status === 'error') row.dataset.failed = 'true';
  const elapsed = Math.max(0, envelope.ts - run.startedAt);
  row.append(
    el('span', 'marker'),
    el('span', 'type mono', envelope.type),
    el('span', 'detail', detailOf(envelope.type, payload)),
    el('span', 'elapsed', `+${elapsed} ms`),
  );
  run.events.append(row);
  if (envelope.type === 'agent_completed') {
    const status = payload.status === 'ok' ? 'ok' : 'error';
    run.card.dataset.status = status;
    run.badge.textContent = status === 'ok' ? 'done' : 'failed';
  }
}

async function ask(text) {
  const current = client;
  if (!current) return;
  try {
    await current.request('user_message', { text });
  } catch (error) {
    log(`message not answered: ${describe(error)}`, 'error');
  }
}

ui.userId.addEventListener('input', () => {
  const value = ui.userId.value.trim();
  const valid = USER_ID.test(value);
  ui.userId.setAttribute('aria-invalid', String(!valid));
  ui.tokenPreview.textContent = valid
    ? `dev:${value}`
    : 'ASCII letters, digits, _ . @ - (1 to 128)';
  updateConnectButton();
});

ui.connectForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const userId = ui.userId.value.trim();
  if (USER_ID.test(userId)) connect(userId);
});

ui.disconnect.addEventListener('click', disconnect);

ui.askForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.message.value.trim();
  if (!text) return;
  ui.message.value = '';
  void ask(text);
});

for (const example of ui.examples)
  example.addEventListener('click', () => void ask(example.textContent));

// For the tests and the curious: the page's client, from the devtools console.
Object.defineProperty(window, 'unifiedWsClient', { get: () => client });
setState('idle', 'not connected');
