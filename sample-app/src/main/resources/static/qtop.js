// qtop for the browser: polls /actuator/qorb and /demo/state each second and draws every pool.
'use strict';

const previousClaims = {};

async function json(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  return response.json();
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => {
    if (key === 'onclick') node.onclick = value; else node.setAttribute(key, value);
  });
  children.flat().forEach(child => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

function slotBar(backend, maxSlots) {
  const bar = element('div', { class: 'bar', title: 'slots by state' });
  for (const state of ['connecting', 'idle', 'checking', 'claimed']) {
    const count = backend[state];
    if (count > 0) {
      bar.append(element('span', { class: 'seg ' + state, style: 'width:' + (100 * count / maxSlots) + '%' }));
    }
  }
  return bar;
}

function post(url) {
  return fetch(url, { method: 'POST' }).then(refresh);
}

function demoBackendByPort(demo, address) {
  const port = Number(address.substring(address.lastIndexOf(':') + 1));
  return demo.backends.find(b => b.port === port);
}

function drawPool(name, pool, load, demo) {
  const now = Date.now();
  const before = previousClaims[name];
  const rate = before ? Math.round((pool.claims - before.claims) * 1000 / (now - before.at)) : 0;
  previousClaims[name] = { claims: pool.claims, at: now };
  const failed = Object.values(pool.failedClaims).reduce((a, b) => a + b, 0);
  const isDns = pool.resolver.type === 'DnsResolver';

  const rows = Object.entries(pool.backends).map(([backendName, backend]) => {
    const demoBackend = demoBackendByPort(demo, backend.address);
    const controls = [];
    if (demoBackend) {
      controls.push(demoBackend.running
        ? element('button', { onclick: () => post('/demo/backends/' + demoBackend.id + '/stop') }, 'stop backend')
        : element('button', { onclick: () => post('/demo/backends/' + demoBackend.id + '/start') }, 'start backend'));
      if (isDns) {
        controls.push(element('button', { onclick: () => post('/demo/backends/' + demoBackend.id + '/dns-remove') },
          'remove from DNS'));
      }
    }
    return element('tr', { 'data-backend': backendName, 'data-state': backend.state },
      element('td', {}, backendName),
      element('td', {}, element('span', { class: 'badge ' + backend.state }, backend.state)),
      element('td', {}, slotBar(backend, pool.policy.maxSlots)),
      element('td', {}, backend.connecting + ' / ' + backend.idle + ' / ' + backend.checking + ' / ' + backend.claimed),
      element('td', {}, backend.claims),
      element('td', {}, backend.lastError ? element('span', { class: 'error' }, backend.lastError) : ''),
      element('td', {}, controls));
  });

  const claimers = load ? load.claimers : 0;
  return element('div', { class: 'pool', 'data-pool': name, 'data-state': pool.state },
    element('h2', {}, name, element('span', { class: 'badge ' + pool.state }, pool.state),
      element('span', { class: 'badge' }, isDns ? 'DNS: ' + pool.resolver.name : 'fixed list')),
    element('div', { class: 'numbers' },
      element('div', {}, element('b', { class: 'rate' }, rate), 'claims/s'),
      element('div', {}, element('b', {}, pool.waiting), 'waiting'),
      element('div', {}, element('b', {}, failed + (load ? load.errors : 0)), 'errors'),
      element('div', {}, element('b', { class: 'claimers' }, claimers), 'claimers ',
        element('button', { onclick: () => post('/demo/pools/' + name + '/claimers?count=' + Math.max(0, claimers - 5)) }, '−5'),
        element('button', { onclick: () => post('/demo/pools/' + name + '/claimers?count=' + (claimers + 5)) }, '+5'))),
    element('table', {},
      element('thead', {}, element('tr', {}, ['backend', 'state', 'slots', 'conn/idle/chk/claimed', 'claims', 'last error', '']
        .map(h => element('th', {}, h)))),
      element('tbody', {}, rows)),
    load && load.lastError ? element('p', { class: 'error' }, 'last workload error: ' + load.lastError) : '');
}

function drawBackends(demo) {
  const body = document.querySelector('#backends tbody');
  body.replaceChildren(...demo.backends.map(b => element('tr', { 'data-demo-backend': b.id },
    element('td', {}, 'backend-' + b.id),
    element('td', {}, b.port),
    element('td', {}, b.running ? 'running' : 'stopped'),
    element('td', {}, b.inDns ? 'published' : 'removed'),
    element('td', {}, b.connections),
    element('td', {},
      b.running ? element('button', { onclick: () => post('/demo/backends/' + b.id + '/stop') }, 'stop')
                : element('button', { onclick: () => post('/demo/backends/' + b.id + '/start') }, 'start'),
      b.inDns ? element('button', { onclick: () => post('/demo/backends/' + b.id + '/dns-remove') }, 'remove from DNS')
              : element('button', { onclick: () => post('/demo/backends/' + b.id + '/dns-add') }, 'add to DNS')))));
}

async function refresh() {
  try {
    const [qorb, demo] = await Promise.all([json('/actuator/qorb'), json('/demo/state')]);
    const pools = Object.entries(qorb.pools).map(([name, pool]) => drawPool(name, pool, demo.workload[name], demo));
    document.getElementById('pools').replaceChildren(...pools);
    drawBackends(demo);
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('updated').textContent = 'cannot reach the app: ' + e.message;
  }
}

refresh();
setInterval(refresh, 1000);
