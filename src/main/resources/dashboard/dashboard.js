// pep dashboard: polls pep's own JSON calls every 2 s; no library, no build step.
'use strict';
(function () {
  const POLL_MS = 2000;
  const TOKEN_KEY = 'pep.adminToken';
  const $ = (id) => document.getElementById(id);
  // a call pep does not answer within this long counts as "pep unreachable"
  const CALL_TIMEOUT_MS = 10000;
  // each card and the call its figures come from: a card whose call last answered more than two polls ago is greyed
  const SOURCES = { now: 'summary', failures: 'summary', recent: 'attempts', exports: 'exports', lookup: 'lookup' };
  // waitingForToken: pep refused the token this page holds (or it holds none): only the open health call is polled
  const state = { refusals: new Set(), expanded: new Set(), rendered: {}, lookupSerial: null, timer: null, busy: false, answeredAt: {}, pollMs: 0,
    waitingForToken: false };

  class Unreachable extends Error {}
  class NeedsToken extends Error {}

  const currentToken = () => sessionStorage.getItem(TOKEN_KEY);

  function headers(extra, token) {
    const h = Object.assign({ Accept: 'application/json' }, extra || {});
    if (token) h.Authorization = 'Bearer ' + token;
    return h;
  }

  // A 401 counts against the token the call was sent with: an answer to a call sent before the
  // token was given (or changed) says nothing about the token the page holds now.
  async function call(path, options) {
    const sent = currentToken();
    let response;
    try {
      response = await fetch(path, Object.assign({ cache: 'no-store', signal: AbortSignal.timeout((options && options.timeoutMs) || CALL_TIMEOUT_MS) },
        options, { headers: headers(options && options.headers, sent) }));
    } catch (e) {
      throw new Unreachable(String(e));
    }
    if (response.status === 401) {
      if (sent === currentToken()) {
        state.waitingForToken = true;
        askForToken(sent ? 'That token was refused: enter an admin token.' : null);
      }
      throw new NeedsToken('needs a token');
    }
    return response;
  }

  async function json(path) {
    const response = await call(path);
    const text = await response.text();
    if (!response.ok && !(response.headers.get('Content-Type') || '').includes('json')) {
      const error = new Error(text.trim() || ('HTTP ' + response.status));
      error.status = response.status;
      throw error;
    }
    return JSON.parse(text);
  }

  function askForToken(why) {
    const form = $('token-form');
    if (why) $('token-why').textContent = why;
    if (form.hidden) {
      form.hidden = false;
      $('token').focus();
    }
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    $('token-form').hidden = true;
    $('forget-token').hidden = false;
    state.waitingForToken = false;
    pollNow();
  });

  // forgets the token and everything shown with it: the page starts again, asking for a token
  $('forget-token').hidden = !currentToken();
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });

  // --- formatting ---------------------------------------------------------------------------
  const pad = (n) => String(n).padStart(2, '0');
  function time(value) {
    if (value === null || value === undefined || value === '') return '–';
    const d = new Date(typeof value === 'object' && value.$date ? value.$date : value);
    if (isNaN(d)) return String(value);
    const today = new Date().toDateString() === d.toDateString();
    const hms = pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
    return today ? hms : d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hms;
  }
  const ms = (v) => v === null || v === undefined ? '–' : v < 1000 ? v + ' ms' : (v / 1000).toFixed(1) + ' s';
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }
  function changed(key, data) {
    const text = JSON.stringify(data);
    if (state.rendered[key] === text) return false;
    state.rendered[key] = text;
    return true;
  }
  function items(body, name) {
    if (Array.isArray(body)) return body;
    if (body && body._embedded) {
      const list = body._embedded[name] || Object.values(body._embedded)[0];
      if (Array.isArray(list)) return list;
    }
    for (const key of [name, 'results', 'items', 'runs', 'attempts']) if (body && Array.isArray(body[key])) return body[key];
    return [];
  }
  const idOf = (a) => JSON.stringify(a._id || a.id || [a.time, a.serialNumber]);
  function reasonOf(a) {
    if (a.outcome === 'ok') return '';
    if (a.fccReturnStatus !== undefined && a.fccReturnStatus !== null) {
      return 'FCC ReturnStatus ' + a.fccReturnStatus + (a.fccInfoMessage ? ': ' + a.fccInfoMessage : '');
    }
    return (a.reason || '').split('\n')[0];
  }

  // --- Now ------------------------------------------------------------------------------------
  function renderSummary(s) {
    const hour = s.lastHour;
    const select = $('filter-outcome');
    if (s.outcomes && select.options.length !== s.outcomes.length + 1) {
      select.replaceChildren(el('option', { value: '' }, 'any'), ...s.outcomes.map((o) => el('option', { value: o }, o)));
    }
    if (s.refusals) state.refusals = new Set(s.refusals);
    $('hour-total').textContent = hour.total;
    $('success-ratio').textContent = hour.successRatio === null ? '–' : (hour.successRatio * 100).toFixed(1) + ' %';
    $('ratio-basis').textContent = hour.ok + ' provisioned, ' + hour.failed + ' failed at the gateway or tool';
    $('count-conflict').textContent = hour.conflict;
    $('count-invalid').textContent = hour.invalid;
    $('count-busy').textContent = hour.busy;
    $('count-other').textContent = 'not in the success ratio' + (hour.other ? '; ' + hour.other + ' other (refused by the site, store unavailable, unexpected error)' : '');
    $('count-retired').textContent = hour.retired ?? 0;
    const r = hour.lastRetirement;
    $('last-retirement').textContent = r ? 'last: ' + r.serialNumber + ' at ' + time(r.time) + ' by ' + (r.retiredBy || 'no token')
      + ' — ' + (r.reason || '') : 'none';
    $('slots').textContent = s.slots && s.slots.capacity !== undefined
      ? s.slots.inUse + ' / ' + s.slots.queued + ' (of ' + s.slots.capacity + ')' : '–';
    $('durations').textContent = ms(hour.p50Ms) + ' / ' + ms(hour.p95Ms);
    state.slots = s.slots;
    const next = (name, k) => !k ? '' : name + ': ' + (k.enabled ? (k.next ? time(k.next) : '–') + ' (cron ' + k.cron + ')' : 'off');
    if (s.exportSchedule) $('next-runs').textContent = next('CSV', s.exportSchedule.csv) + '; ' + next('upload', s.exportSchedule.upload);
    const b = s.exportBulks;
    if (b) {
      const worst = b.bulks && b.bulks[0];
      $('bulks-unsettled').textContent = b.pending + ' pending, ' + b.failing + ' failing, ' + b.givenUp + ' given up (7 d)'
        + (worst ? ' — ' + worst.id + ': ' + (worst.reason || '') + ' → ' + worst.todo : '');
    }
    if (changed('chart', hour.perMinute)) renderChart(hour.perMinute);
    if (changed('failures', [s.window, s.failureGroups])) renderFailures(s);
    $('failures-empty').hidden = (s.failureGroups || []).some((g) => g.kind !== 'refused');
    $('failures-error').textContent = '';
  }

  // each minute's bar stacks its attempts by kind, as the success ratio weighs them: provisioned,
  // failed at the gateway or tool (red), refused before anything was tried (409, 400, 503: grey), other
  const KINDS = [['ok', '#1e8e3e'], ['failed', '#b3261e'], ['other', '#e8a200'], ['refused', '#8b929c']];
  const attemptsIn = (m) => KINDS.reduce((t, [kind]) => t + (m[kind] || 0), 0);
  function renderChart(perMinute) {
    const svg = $('chart');
    const ns = 'http://www.w3.org/2000/svg';
    const max = Math.max(1, ...perMinute.map(attemptsIn));
    const w = 600 / perMinute.length;
    svg.querySelectorAll('rect, line').forEach((n) => n.remove());
    let busiest = 0;
    perMinute.forEach((m, i) => {
      let top = 120;
      for (const [kind, colour] of KINDS) {
        if (!m[kind]) continue;
        const h = (m[kind] / max) * 112;
        top -= h;
        const r = document.createElementNS(ns, 'rect');
        r.setAttribute('x', i * w + 1); r.setAttribute('width', Math.max(1, w - 2));
        r.setAttribute('y', top); r.setAttribute('height', h); r.setAttribute('fill', colour);
        r.dataset.kind = kind; r.dataset.count = m[kind];
        svg.append(r);
      }
      busiest = Math.max(busiest, attemptsIn(m));
    });
    const sum = (kind) => perMinute.reduce((t, m) => t + (m[kind] || 0), 0);
    svg.querySelector('desc').textContent = sum('ok') + ' provisioned, ' + sum('failed') + ' failed at the gateway or tool, '
      + sum('refused') + ' refused, ' + sum('other') + ' other in the last hour; at most ' + busiest + ' attempts in one minute';
  }

  // A check's details as a sentence for people: the keys pep reports, said in words; any other key as "key: value".
  function detailsSentence(details) {
    if (!details) return '';
    const d = Object.assign({}, details);
    const parts = [];
    const take = (key) => { const v = d[key]; delete d[key]; return v; };
    if ('ping_ms' in d) parts.push('answered in ' + take('ping_ms') + ' ms');
    if ('csv_enabled' in d) {
      const folder = take('drop_folder');
      parts.push(String(take('csv_enabled')) === 'true' ? 'CSV drops on' + (folder ? ' into ' + folder : '') : 'CSV drops off');
    }
    if ('upload_enabled' in d) {
      const portal = take('portal');
      parts.push(String(take('upload_enabled')) === 'true' ? 'uploads on to ' + (portal || 'the portal') : 'uploads off');
    }
    for (const [k, v] of Object.entries(d)) {
      if (v !== null && v !== undefined && typeof v !== 'object') parts.push(k.replace(/[_.-]+/g, ' ') + ': ' + v);
    }
    const text = parts.join(', ');
    return text ? text.charAt(0).toUpperCase() + text.slice(1) + '.' : '';
  }

  function renderHealth(report) {
    const checks = {};
    for (const c of (report && report.checks) || []) checks[c.name] = c;
    const describe = (c) => c ? (c.message || detailsSentence(c.details)) : 'not reported';
    const set = (name, level, text, why) => {
      const li = document.querySelector('#health li[data-check="' + name + '"]');
      li.dataset.level = level;
      li.querySelector('.state').textContent = text;
      li.querySelector('.why').textContent = why ? '— ' + why : '';
    };
    const store = checks.store;
    if (!store) set('store', 'amber', 'unknown', 'no store check reported');
    else if (store.status !== 'UP') set('store', 'red', 'down', describe(store));
    else set('store', store.details && store.details.ping_ms > 500 ? 'amber' : 'green', 'up', describe(store));
    const tool = checks['factory-tool'];
    const queued = state.slots ? state.slots.queued : 0;
    if (!tool) set('tool', 'amber', 'unknown', 'no factory-tool check reported');
    else if (tool.status !== 'UP') set('tool', 'red', 'down', describe(tool));
    else if (queued > 0) set('tool', 'amber', 'busy', queued + ' provisioning(s) waiting for a tool slot');
    else set('tool', 'green', 'up', describe(tool));
    const targets = checks['export-targets'];
    const failedRun = state.lastFailedRun;
    if (targets && targets.status !== 'UP') set('exports', 'amber', 'degraded', describe(targets) + ' (gateways are still provisioned; the next run catches up)');
    else if (failedRun) set('exports', 'amber', 'last run failed', failedRun);
    else set('exports', 'green', 'ok', targets ? describe(targets) : '');
  }

  // --- Recent attempts ------------------------------------------------------------------------
  function attemptsPath() {
    const q = new URLSearchParams({ limit: '50' });
    if ($('filter-outcome').value) q.set('outcome', $('filter-outcome').value);
    if ($('filter-serial').value.trim()) q.set('serialNumber', $('filter-serial').value.trim());
    return '/v3/attempts?' + q;
  }

  function attemptRows(list, tbody, withDetails) {
    tbody.replaceChildren();
    for (const a of list) {
      const id = idOf(a);
      // a retirement (rework) is listed with its reason, but is no failed provisioning
      const failed = a.outcome !== 'ok' && a.outcome !== 'retired';
      const retired = a.outcome === 'retired';
      // a refusal (409, 400, 503) is no failure: a grey mark, as in the chart and the failure groups
      const refused = state.refusals.has(a.outcome);
      const reasonCell = el('td', { class: 'reason' }, reasonOf(a) + (retired && a.retiredBy ? ' — by ' + a.retiredBy : ''));
      const row = el('tr', { 'data-outcome': a.outcome, 'data-serial': a.serialNumber, 'data-kind': refused ? 'refused' : null },
        el('td', null, time(a.time)), el('td', null, a.serialNumber),
        el('td', null, (a.ip || '') + (a.port ? ':' + a.port : '')),
        el('td', { class: refused ? 'outcome-refused' : failed ? 'outcome-bad' : retired ? 'outcome-retired' : 'outcome-ok' }, a.outcome), reasonCell,
        el('td', null, ms(a.durationMs)));
      tbody.append(row);
      if (failed && withDetails) {
        const open = state.expanded.has(id);
        const detailId = 'detail-' + btoa(unescape(encodeURIComponent(id))).replace(/[^A-Za-z0-9]/g, '');
        const button = el('button', { type: 'button', class: 'link', 'aria-expanded': String(open), 'aria-controls': detailId }, open ? 'Hide details' : 'Details');
        button.addEventListener('click', () => {
          if (state.expanded.has(id)) state.expanded.delete(id); else state.expanded.add(id);
          state.rendered.attempts = null;
          attemptRows(list, tbody, withDetails);
          const again = document.querySelector('[aria-controls="' + detailId + '"]');
          if (again) again.focus();
        });
        reasonCell.append(' ', button);
        if (open) {
          const lines = ['HTTP ' + (a.status || '–') + ' — what the API answered:', a.reason || '(no text)'];
          if (a.fccReturnStatus !== undefined) lines.push('FCC ReturnStatus: ' + a.fccReturnStatus);
          if (a.fccInfoMessage) lines.push('FCC InfoMessage: ' + a.fccInfoMessage);
          if (a.toolExitCode !== undefined) lines.push('Tool exit code: ' + a.toolExitCode);
          if (a.token) lines.push('Access token: ' + a.token);
          tbody.append(el('tr', { class: 'detail', id: detailId }, el('td', { colspan: '6' }, lines.join('\n'))));
        }
      }
    }
    if (!list.length) tbody.append(el('tr', null, el('td', { colspan: '6', class: 'muted' }, 'No attempts.')));
  }

  // --- Failures grouped -----------------------------------------------------------------------
  // failures (red; pep's own errors amber) and refusals (grey: duplicates, bad requests, busy) in lists of their own
  function renderFailures(s) {
    const groups = s.failureGroups || [];
    const max = Math.max(1, ...groups.map((g) => g.count));
    const fill = (list, shown) => {
      list.replaceChildren();
      for (const g of shown.slice(0, 15)) {
        const text = g.fccReturnStatus !== undefined
          ? g.outcome + ' — FCC ReturnStatus ' + g.fccReturnStatus + (g.fccInfoMessage ? ': ' + g.fccInfoMessage : '')
          : g.outcome + ' — ' + (g.reason || '(no reason)');
        list.append(el('li', { 'data-outcome': g.outcome, 'data-kind': g.kind },
          el('span', { class: 'text' }, text),
          el('span', { class: 'track' }, el('span', { class: 'bar', style: 'width:' + Math.round((g.count / max) * 70) + '%' }),
            el('span', { class: 'count' }, g.count), el('span', { class: 'muted' }, 'last ' + time(g.last) + ', ' + (g.lastSerialNumber || '')))));
      }
    };
    const refusals = groups.filter((g) => g.kind === 'refused');
    fill($('failure-bars'), groups.filter((g) => g.kind !== 'refused'));
    fill($('refusal-bars'), refusals);
    $('refusals').hidden = refusals.length === 0;
    if (s.failuresTruncated) $('failure-bars').append(el('li', { class: 'muted' }, 'Only the newest ' + s.failuresTotal + ' failures were grouped.'));
  }

  function windowValue() {
    return document.querySelector('input[name=window]:checked').value;
  }

  // --- Exports --------------------------------------------------------------------------------
  function renderExports(body) {
    const runs = items(body, 'runs');
    const csv = runs.find((r) => r.kind === 'csv');
    const upload = runs.find((r) => r.kind === 'upload');
    $('last-csv').textContent = csv ? (csv.file || '(no file)') + ', ' + (csv.count ?? 0) + ' ids, ' + csv.status + ', ' + time(csv.finishedAt || csv.startedAt) : 'none yet';
    $('last-upload').textContent = upload ? (upload.bulkIds || []).join(', ') + ' — uploaded ' + (upload.uploaded ?? 0) + ', duplicates ' + (upload.duplicates ?? 0) + ', failed ' + (upload.failed ?? 0) + ', ' + upload.status + ', ' + time(upload.finishedAt || upload.startedAt) : 'none yet';
    const last = runs[0];
    state.lastFailedRun = last && last.status === 'failed' ? last.kind + ' run of ' + time(last.startedAt) + ' failed' + (last.errors && last.errors.length ? ': ' + last.errors[0] : '') : null;
    if (!changed('runs', runs.slice(0, 10))) return;
    const tbody = $('runs').querySelector('tbody');
    tbody.replaceChildren();
    for (const r of runs.slice(0, 10)) {
      tbody.append(el('tr', { 'data-kind': r.kind }, el('td', null, time(r.startedAt)), el('td', null, r.kind), el('td', null, r.status),
        el('td', null, r.count ?? r.uploaded ?? ''), el('td', { class: 'reason' }, r.file || (r.bulkIds || []).join(', '))));
    }
    if (!runs.length) tbody.append(el('tr', null, el('td', { colspan: '5', class: 'muted' }, 'No export runs yet.')));
  }

  // The ended run as a sentence; a failed run says why (its first error), never only its counters.
  function describeRun(kind, text) {
    let run;
    try {
      run = JSON.parse(text);
    } catch (e) {
      return text; // a one-line text answer: pep's own sentence, shown as it is
    }
    const name = kind === 'csv' ? 'The CSV drop' : 'The upload';
    if (run.status === 'failed') {
      const why = (run.errors && run.errors.length) ? run.errors[0] : 'pep gave no reason; see its log';
      return name + ' failed: ' + why.replace(/\.$/, '') + '.';
    }
    return kind === 'csv' ? 'CSV drop ' + run.status + ': ' + (run.count ?? 0) + ' ids' + (run.file ? ' → ' + run.file : '')
      : 'Upload ' + run.status + ': uploaded ' + (run.uploaded ?? 0) + ', duplicates ' + (run.duplicates ?? 0) + ', failed ' + (run.failed ?? 0);
  }

  // The run's answer once it ended: pep answers 202 + Location when it takes longer than ?wait=,
  // then the run is followed there until it is no longer running.
  async function runExport(kind, button) {
    button.disabled = true;
    $('export-result').textContent = 'Running the ' + kind + ' export…';
    try {
      const response = await call('/v3/exports/' + kind + '?wait=10', { method: 'POST', headers: { 'X-Requested-By': 'pep-dashboard' }, timeoutMs: 30000 });
      let text = (await response.text()).trim();
      const location = response.status === 202 ? response.headers.get('Location') : null;
      if (location) {
        for (let running = true; running;) {
          $('export-result').textContent = 'The ' + kind + ' export is running (' + location.split('/').pop() + ')…';
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          const polled = await call(location);
          text = (await polled.text()).trim();
          running = polled.ok && JSON.parse(text).status === 'running';
        }
      }
      $('export-result').textContent = describeRun(kind, text);
    } catch (e) {
      $('export-result').textContent = e instanceof Unreachable ? 'pep unreachable: see the runs below once it is back.' : String(e.message);
    } finally {
      button.disabled = false;
      pollNow();
    }
  }
  $('run-csv').addEventListener('click', (e) => runExport('csv', e.currentTarget));
  $('run-upload').addEventListener('click', (e) => runExport('upload', e.currentTarget));

  // --- Lookup ---------------------------------------------------------------------------------
  async function refreshLookup() {
    const serial = state.lookupSerial;
    if (!serial) return;
    const q = encodeURIComponent(serial);
    const [record, attempts] = await Promise.all([json('/dashboard/api/gateway?serialNumber=' + q),
      json('/v3/attempts?limit=20&serialNumber=' + q)]);
    if (serial !== state.lookupSerial || !changed('lookup', [record, attempts])) return;
    const box = $('lookup-result');
    const facts = el('dl', { class: 'facts', id: 'lookup-record' });
    if (record.found) {
      for (const [k, v] of Object.entries(record)) {
        if (k === 'found') continue;
        facts.append(el('dt', null, k), el('dd', null, k === 'createdAt' ? time(v) + ' (' + v + ')' : typeof v === 'object' ? JSON.stringify(v) : v));
      }
    } else {
      facts.append(el('dt', null, serial), el('dd', null, 'no record (not provisioned)'));
    }
    const table = el('table', { id: 'lookup-attempts', class: 'attempt-table' }, el('caption', null, 'Attempts of ' + serial),
      el('thead', null, el('tr', null, ...['Time', 'Serial', 'Gateway', 'Outcome', 'Reason', 'Duration'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody'));
    attemptRows(items(attempts, 'attempts'), table.querySelector('tbody'), false);
    box.replaceChildren(el('h3', null, 'Record of ' + serial), facts, table);
  }
  $('lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.lookupSerial = $('lookup-serial').value.trim();
    state.rendered.lookup = null;
    refreshLookup().catch((e) => { $('lookup-result').textContent = e.message; });
  });

  // --- polling --------------------------------------------------------------------------------
  // Greys the cards whose figures are older than two polls (a slow pep gets the time its polls take).
  function markStale() {
    const now = Date.now();
    for (const [section, source] of Object.entries(SOURCES)) {
      const at = state.answeredAt[source];
      $(section).toggleAttribute('data-stale', at !== undefined && now - at > 2 * (POLL_MS + state.pollMs));
    }
  }
  setInterval(markStale, 500);

  async function poll() {
    if (state.busy) return;
    state.busy = true;
    const started = Date.now();
    // waiting for a token: no admin call (each would only be refused again), health still shows whether pep is there
    const tasks = state.waitingForToken ? {} : {
      summary: json('/dashboard/api/summary?window=' + windowValue()).then(renderSummary),
      attempts: json(attemptsPath()).then((body) => {
        const list = items(body, 'attempts');
        if (changed('attempts', [list, [...state.refusals]])) attemptRows(list, $('attempts').querySelector('tbody'), true);
      }),
      exports: json('/v3/exports?limit=20').then(renderExports),
      metrics: call('/observe/metrics').then((r) => r.ok ? r.text() : '').then((text) => {
        const m = /^pep_export_ids_pending_upload(?:\{[^}]*\})? ([0-9.eE+-]+)/m.exec(text || '');
        $('ids-waiting').textContent = m ? String(Math.round(Number(m[1]))) : '–';
      }),
      lookup: refreshLookup(),
    };
    const results = await Promise.allSettled(Object.values(tasks));
    Object.keys(tasks).forEach((name, i) => { if (results[i].status === 'fulfilled') state.answeredAt[name] = Date.now(); });
    // health last: its colours use the slots and export runs just read
    const health = await json('/observe/health/ready').then(renderHealth).then(() => null, (e) => e);
    const errors = results.map((r) => r.status === 'rejected' ? r.reason : null).concat([health]);
    const unreachable = errors.some((e) => e instanceof Unreachable);
    $('banner').hidden = !unreachable;
    document.body.classList.toggle('offline', unreachable);
    const named = Object.keys(tasks);
    const problem = (name) => {
      const e = errors[named.indexOf(name)];
      return e && !(e instanceof Unreachable) && !(e instanceof NeedsToken) ? e.message : '';
    };
    $('summary-error').textContent = problem('summary') && 'Summary unavailable: ' + problem('summary');
    if (problem('summary')) {
      $('failures-empty').hidden = true;
      $('failures-error').textContent = 'Failures cannot be counted right now: ' + problem('summary');
    }
    $('attempts-error').textContent = problem('attempts') && 'Attempts unavailable: ' + problem('attempts');
    if (!unreachable) $('updated').textContent = 'updated ' + time(Date.now());
    if (!unreachable) state.pollMs = Math.min(Date.now() - started, CALL_TIMEOUT_MS);
    markStale();
    state.busy = false;
  }

  function pollNow() {
    clearTimeout(state.timer);
    poll().finally(() => { state.timer = setTimeout(pollNow, POLL_MS); });
  }

  $('filter-outcome').addEventListener('change', pollNow);
  $('filter-serial').addEventListener('input', pollNow);
  document.querySelectorAll('input[name=window]').forEach((r) => r.addEventListener('change', pollNow));
  pollNow();
})();
