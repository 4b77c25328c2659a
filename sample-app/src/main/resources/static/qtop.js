// qtop for the browser: polls /actuator/qorb, /actuator/health/qorb and /demo/state each second
// and updates the page in place. Each pool, row and button is created once; later refreshes only
// change text and attributes, so that rows keep their places and a click is never lost to a
// redraw. Buttons decide what to do when clicked, from the state the row shows then.
'use strict';

const REFRESH_MS = 1000;
const FETCH_TIMEOUT_MS = 3000;
const ERROR_RATE_WINDOW_MS = 10_000;
const OLD_ERROR_MS = 60_000;
const HOLD_CHOICES_MS = [0, 50, 200, 1000, 3000];
const byName = new Intl.Collator('en', { numeric: true }).compare;

const poolViews = new Map();     // pool name → its elements and what the page remembers of it
const demoRows = new Map();      // demo backend id → its row
let requested = 0;               // refreshes started
let drawn = 0;                   // the latest refresh drawn: an older answer arriving late is dropped
let lastDrawnAt = null;
let unreachableSince = null;

// ---- small helpers -----------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => {
    if (key.startsWith('on')) node[key] = value; else node.setAttribute(key, value);
  });
  children.flat().forEach(child => node.append(child));
  return node;
}

function setText(node, value) {
  const text = String(value);
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/** Puts {@code nodes} into {@code parent} in this order, moving only those out of place. */
function keepOrder(parent, nodes) {
  nodes.forEach((node, i) => {
    if (parent.children[i] !== node) parent.insertBefore(node, parent.children[i] || null);
  });
  while (parent.children.length > nodes.length) parent.lastElementChild.remove();
}

function ago(millis) {
  const seconds = Math.max(0, Math.round(millis / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  return Math.round(seconds / 3600) + ' h ago';
}

function kindName(kind) {
  return kind.toLowerCase().replaceAll('_', ' ');
}

async function json(url, { accept = [200], missing = null } = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: abort.signal, cache: 'no-store' });
    if (response.status === missing) return null;
    if (!accept.includes(response.status)) throw new Error(url + ': HTTP ' + response.status);
    return await response.json();
  } catch (e) {
    throw e.name === 'AbortError' ? new Error(url + ': no answer within ' + FETCH_TIMEOUT_MS / 1000 + ' s') : e;
  } finally {
    clearTimeout(timer);
  }
}

// ---- actions -----------------------------------------------------------------------------

function showAction(text, ok) {
  const line = document.getElementById('action');
  line.textContent = new Date().toLocaleTimeString() + '  ' + text;
  line.classList.toggle('refused', !ok);
}

/** POSTs an action (a JSON body for the actuator endpoint), says how it went, and refreshes. */
async function act(done, url, body) {
  try {
    const response = await fetch(url, body === undefined ? { method: 'POST' }
      : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({}));
    showAction(response.ok ? (answer.message || done) : (answer.message || 'HTTP ' + response.status), response.ok);
  } catch (e) {
    showAction(done + ' failed: ' + e.message, false);
  }
  refresh();
}

const poolAction = (pool, action, backend) =>
  act(action, '/actuator/qorb/' + encodeURIComponent(pool), backend === undefined ? { action } : { action, backend });

// ---- one pool ----------------------------------------------------------------------------

function poolView(name) {
  let view = poolViews.get(name);
  if (view) return view;
  const path = '/demo/pools/' + encodeURIComponent(name);
  const number = (cls, label, detail) => el('div', {}, el('b', { class: cls }, '–'), label,
    detail ? el('small', { class: detail }) : '');
  view = {
    name, rows: new Map(), backendErrors: new Map(), failedHistory: [], previous: null, load: null,
    badge: el('span', { class: 'badge health' }),
    resolver: el('span', { class: 'badge' }),
    tbody: el('tbody'),
    workloadError: el('p', { class: 'error workload-error' }),
    hold: el('select', { class: 'hold', onchange: e => act('hold time set',
      path + '/hold?millis=' + e.target.value) }),
  };
  const claimerButton = (label, cls, query) => el('button', { class: cls, onclick: () =>
    act('claimers changed', path + '/claimers?' + query()) }, label);
  view.numbers = el('div', { class: 'numbers' },
    number('rate', 'claims/s'),
    number('waiting', 'waiting'),
    number('wait-p50', 'claim wait p50', 'wait-count'),
    number('wait-p99', 'claim wait p99'),
    number('failed-claims', 'failed claims', 'failed-kinds'),
    number('error-rate', 'failed claims/s', 'error-rate-window'),
    number('failed-round-trips', 'failed round trips'));
  view.reset = claimerButton('back to –', 'claimers-reset', () => 'count=' + view.load.startingClaimers);
  view.root = el('div', { class: 'pool', 'data-pool': name },
    el('h2', {}, name, view.badge, view.resolver,
      el('button', { class: 'resolve', title: 'POST /actuator/qorb/' + name + ' {"action":"resolve"}',
        onclick: () => poolAction(name, 'resolve') }, 'look up backends now')),
    view.numbers,
    el('div', { class: 'controls' },
      el('span', {}, 'claimers ', el('b', { class: 'claimers' }, '–'), ' ',
        claimerButton('−5', 'claimers-minus5', () => 'delta=-5'),
        claimerButton('−1', 'claimers-minus1', () => 'delta=-1'),
        claimerButton('+1', 'claimers-plus1', () => 'delta=1'),
        claimerButton('+5', 'claimers-plus5', () => 'delta=5'),
        view.reset),
      el('label', {}, 'hold each connection for ', view.hold)),
    el('table', {},
      el('thead', {}, el('tr', {}, ['backend', 'state', 'slots: connecting / idle / checking / claimed', 'claims',
        'recent failures', 'last error', ''].map(h => el('th', {}, h)))),
      view.tbody),
    view.workloadError);
  view.field = cls => view.root.querySelector('.' + cls);
  poolViews.set(name, view);
  return view;
}

function backendRow(view, name) {
  let row = view.rows.get(name);
  if (row) return row;
  const cells = {
    state: el('span', { class: 'badge' }),
    segments: ['connecting', 'idle', 'checking', 'claimed'].map(state => el('span', { class: 'seg ' + state })),
    counts: el('span', { class: 'counts' }), claims: el('td'), recent: el('td'),
    error: el('span', { class: 'error' }), age: el('span', { class: 'age' }),
  };
  // Drain or undrain, whichever the row shows when clicked: the endpoint's write operation.
  cells.drain = el('button', { class: 'drain', onclick: () =>
    poolAction(view.name, row.dataset.state === 'draining' ? 'undrain' : 'drain', name) });
  row = el('tr', { 'data-backend': name },
    el('td', { title: name }, name), el('td', {}, cells.state),
    el('td', {}, el('div', { class: 'slots' }, el('div', { class: 'bar' }, cells.segments), cells.counts)),
    cells.claims, cells.recent, el('td', {}, cells.age, ' ', cells.error), el('td', {}, cells.drain));
  row.parts = cells;
  view.rows.set(name, row);
  return row;
}

/**
 * When each backend's last error happened: the endpoint gives the error, not its time, so the
 * page notes when the backend's failure count last went up. Errors from before the page opened
 * have no known time.
 */
function errorSeenAt(view, name, backend, now) {
  const failures = backend.connectFailures + backend.checkFailures;
  const seen = view.backendErrors.get(name);
  if (!seen) {
    view.backendErrors.set(name, { failures, at: null });
    return null;
  }
  if (failures > seen.failures) seen.at = now;
  seen.failures = failures;
  return seen.at;
}

function drawBackend(view, row, name, backend, maxSlots, now) {
  const c = row.parts;
  setAttr(row, 'data-state', backend.state);
  setText(c.state, backend.state);
  setAttr(c.state, 'class', 'badge ' + backend.state);
  ['connecting', 'idle', 'checking', 'claimed'].forEach((state, i) =>
    c.segments[i].style.width = (100 * backend[state] / maxSlots) + '%');
  setText(c.counts, [backend.connecting, backend.idle, backend.checking, backend.claimed].join(' / '));
  setText(c.claims, backend.claims);
  setText(c.recent, backend.recentFailures);
  const at = errorSeenAt(view, name, backend, now);
  setText(c.error, backend.lastError || '');
  setAttr(c.error.parentElement, 'title', backend.lastError || '');
  setText(c.age, !backend.lastError ? '' : at === null ? 'before page load' : ago(now - at));
  c.error.classList.toggle('old', at === null || now - at > OLD_ERROR_MS);
  setText(c.drain, backend.state === 'draining' ? 'undrain' : 'drain');
}

function drawPool(view, pool, health, load, now) {
  const field = view.field;
  // The badge says what health says (DOWN while nothing can be served), with the pool's state.
  const status = health && health.components && health.components[view.name]
    ? health.components[view.name].status : null;
  setText(view.badge, status ? status + ' · ' + pool.state : pool.state);
  setAttr(view.badge, 'class', 'badge health ' + (status || '') + ' ' + pool.state);
  setAttr(view.badge, 'data-health', status || '');
  setAttr(view.root, 'data-state', pool.state);
  const isDns = pool.resolver.type === 'DnsResolver';
  setText(view.resolver, isDns ? 'DNS: ' + pool.resolver.name : 'fixed list');

  if (view.previous) {
    const seconds = (now - view.previous.at) / 1000;
    setText(field('rate'), Math.round((pool.claims - view.previous.claims) / seconds));
  }
  view.previous = { at: now, claims: pool.claims };
  setText(field('waiting'), pool.waiting);

  // Failed claims: exactly the endpoint's count, and its rate over the last ten seconds.
  const failed = Object.values(pool.failedClaims).reduce((a, b) => a + b, 0);
  setText(field('failed-claims'), failed);
  setText(field('failed-kinds'), Object.entries(pool.failedClaims).filter(([, n]) => n > 0)
    .map(([kind, n]) => kindName(kind) + ' ' + n).join(' · '));
  const history = view.failedHistory;
  history.push({ at: now, failed });
  while (history.length > 2 && now - history[1].at >= ERROR_RATE_WINDOW_MS) history.shift();
  const span = (now - history[0].at) / 1000;
  setText(field('error-rate'), span > 0 ? ((failed - history[0].failed) / span).toFixed(1) : '–');
  setText(field('error-rate-window'), span > 0 ? 'last ' + Math.round(span) + ' s' : '');

  view.load = load;
  if (load) {
    setText(field('wait-p50'), load.claimWait.claims ? load.claimWait.p50Millis.toFixed(1) + ' ms' : '–');
    setText(field('wait-p99'), load.claimWait.claims ? load.claimWait.p99Millis.toFixed(1) + ' ms' : '–');
    setText(field('wait-count'), load.claimWait.claims + ' claims, last 10 s');
    setText(field('failed-round-trips'), load.failedRoundTrips);
    setText(field('claimers'), load.claimers);
    setText(view.reset, 'back to ' + load.startingClaimers);
    drawHoldChoices(view.hold, load.holdMillis);
    setText(view.workloadError, load.lastError
      ? 'claimers\u2019 last error, ' + ago(now - load.lastErrorAtMillis) + ': ' + load.lastError : '');
    setAttr(view.workloadError, 'title', load.lastError || '');
    view.workloadError.classList.toggle('old', now - load.lastErrorAtMillis > OLD_ERROR_MS);
  }

  // Backends in a stable order, by name; a row per backend, kept and updated.
  const names = Object.keys(pool.backends).sort(byName);
  const rows = names.map(name => {
    const row = backendRow(view, name);
    drawBackend(view, row, name, pool.backends[name], pool.policy.maxSlots, now);
    return row;
  });
  [...view.rows.keys()].filter(name => !(name in pool.backends)).forEach(name => view.rows.delete(name));
  keepOrder(view.tbody, rows);
}

function drawHoldChoices(select, holdMillis) {
  const choices = [...new Set([...HOLD_CHOICES_MS, holdMillis])].sort((a, b) => a - b);
  if ([...select.options].map(o => o.value).join() !== choices.join()) {
    select.replaceChildren(...choices.map(ms => el('option', { value: String(ms) },
      ms === 0 ? 'no time' : ms < 1000 ? ms + ' ms' : ms / 1000 + ' s')));
  }
  if (document.activeElement !== select && select.value !== String(holdMillis)) select.value = String(holdMillis);
}

// ---- the demo backends -------------------------------------------------------------------

function demoRow(id) {
  let row = demoRows.get(id);
  if (row) return row;
  const post = action => act('backend-' + id + ': ' + action, '/demo/backends/' + id + '/' + action);
  const cells = {
    port: el('td'), process: el('td'), dns: el('td'), connections: el('td'),
    stop: el('button', { class: 'stop-start', onclick: () => post(row.dataset.running === 'true' ? 'stop' : 'start') }),
    dnsButton: el('button', { class: 'dns', onclick: () => post(row.dataset.inDns === 'true' ? 'dns-remove' : 'dns-add') }),
  };
  row = el('tr', { 'data-demo-backend': id }, el('td', {}, 'backend-' + id), cells.port, cells.process, cells.dns,
    cells.connections, el('td', {}, cells.stop, cells.dnsButton));
  row.parts = cells;
  demoRows.set(id, row);
  return row;
}

function drawDemoBackends(demo) {
  const rows = demo.backends.map(b => {
    const row = demoRow(b.id);
    const c = row.parts;
    row.dataset.running = String(b.running);
    row.dataset.inDns = String(b.inDns);
    setText(c.port, b.port);
    setText(c.process, b.running ? 'running' : 'stopped');
    setText(c.dns, b.inDns ? 'published' : 'removed');
    setText(c.connections, b.connections);
    setText(c.stop, b.running ? 'stop' : 'start');
    setText(c.dnsButton, b.inDns ? 'remove from DNS' : 'add to DNS');
    return row;
  });
  keepOrder(document.querySelector('#backends tbody'), rows);
}

// ---- refresh -----------------------------------------------------------------------------

function setReachable(error) {
  const banner = document.getElementById('banner');
  if (!error) {
    unreachableSince = null;
    document.body.classList.remove('unreachable');
    banner.hidden = true;
    return;
  }
  unreachableSince = unreachableSince || new Date();
  document.body.classList.add('unreachable');
  banner.hidden = false;
  setText(banner, 'Cannot reach the app since ' + unreachableSince.toLocaleTimeString() + ' (' + error.message + '). '
    + (lastDrawnAt ? 'Everything below is as it was at ' + lastDrawnAt.toLocaleTimeString() + '.' : 'Nothing to show yet.'));
}

async function refresh() {
  const request = ++requested;
  let answers;
  try {
    answers = await Promise.all([
      json('/actuator/qorb'),
      json('/actuator/health/qorb', { accept: [200, 503], missing: 404 }),   // 503 while DOWN
      json('/demo/state')]);
  } catch (e) {
    if (request > drawn) {
      drawn = request;
      setReachable(e);
    }
    return;
  }
  if (request < drawn) return;
  drawn = request;
  setReachable(null);
  const [qorb, health, demo] = answers;
  const now = Date.now();
  const views = Object.keys(qorb.pools).sort(byName).map(name => {
    const view = poolView(name);
    drawPool(view, qorb.pools[name], health, demo.workload[name], now);
    return view.root;
  });
  keepOrder(document.getElementById('pools'), views);
  drawDemoBackends(demo);
  lastDrawnAt = new Date(now);
  setText(document.getElementById('updated'), 'updated ' + lastDrawnAt.toLocaleTimeString());
}

async function loop() {
  try {
    await refresh();
  } finally {
    setTimeout(loop, REFRESH_MS);
  }
}

loop();
