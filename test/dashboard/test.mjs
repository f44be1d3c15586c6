// Drives pep's dashboard in Debian's headless Chromium (see run.sh for what runs around it).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = process.env;
const url = env.PEP_URL;
const token = env.PEP_ADMIN_TOKEN;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const results = [];
const consoleErrors = [];
let phase = 'start';
// Phases in which pep or the store is down on purpose, or the page has not got its token yet:
// there Chromium itself logs "Failed to load resource" for each refused or failed request.
const outagePhases = new Set(['token', 'store-down', 'pep-down']);

async function check(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log('ok   ' + name);
  } catch (e) {
    results.push([name, false]);
    console.log('FAIL ' + name + ': ' + (e && e.message ? e.message.split('\n')[0] : e));
  }
}

// polls until probe() is true; a probe that throws counts as "not yet". Deadlines fit a busy CI machine.
async function until(what, probe, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last === true) return;
    } catch (e) {
      last = e.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(what + ' (last seen: ' + JSON.stringify(last) + ')');
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(what + ': expected ' + JSON.stringify(expected) + ', got ' + JSON.stringify(actual));
}

function start(command, pidFile) {
  const child = spawn('bash', ['-c', 'exec ' + command], { detached: true, stdio: 'ignore' });
  writeFileSync(pidFile, String(child.pid));
  child.unref();
  return child;
}

function stop(pidFile) {
  const pid = Number(readFileSync(pidFile, 'utf8'));
  process.kill(pid, 'SIGTERM');
  return until('process ' + pid + ' ends', () => {
    try { process.kill(pid, 0); return false; } catch { return true; }
  });
}

async function ready() {
  await until('pep ready at ' + url, async () => (await fetch(url + '/observe/health/ready')).status === 200, 180000);
}

const text = (page, selector) => page.locator(selector).first().textContent();
const count = (page, selector) => page.locator(selector).count();

start(env.PEP_START, env.PEP_PID_FILE);
await ready();

const profile = mkdtempSync(join(tmpdir(), 'pep-chromium-'));
// a fresh, empty user-data dir (Playwright passes it as --user-data-dir)
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1920, height: 1080 },
});
const page = context.pages()[0] || await context.newPage();
// Playwright's own waits (navigation, clicks, fills): as patient as until(), for a busy CI machine
context.setDefaultTimeout(60000);
context.setDefaultNavigationTimeout(60000);
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push([phase, m.text()]); });
page.on('pageerror', (e) => consoleErrors.push([phase, 'uncaught: ' + e.message]));

try {
  phase = 'token';
  await check('GET / sends a browser to /dashboard; curl still gets the 404', async () => {
    const response = await page.goto(url + '/');
    equal(new URL(page.url()).pathname, '/dashboard', 'page');
    equal(response.status(), 200, 'status');
    const plain = await fetch(url + '/', { headers: { Accept: '*/*' } });
    equal(plain.status, 404, 'curl-like GET /');
  });

  await check('asks once for the admin token and keeps it in sessionStorage only', async () => {
    await page.locator('#token-form').waitFor({ state: 'visible', timeout: 60000 });
    await page.fill('#token', token);
    await page.click('#token-form button[type=submit]');
    await until('token form hidden', async () => page.locator('#token-form').isHidden());
    equal(await page.evaluate(() => sessionStorage.getItem('pep.adminToken')), token, 'sessionStorage');
    equal(await page.evaluate(() => localStorage.length), 0, 'localStorage entries');
    await until('summary shows 0 provisionings', async () => (await text(page, '#hour-total')) === '0');
  });
  phase = 'provisioning';

  // a lookup typed before the gateway exists: it must fill in by itself once it is provisioned
  await page.fill('#lookup-serial', 'DASH-0020');
  await page.click('#lookup-form button[type=submit]');
  await check('lookup of a serial not provisioned yet says so', async () => {
    await until('no record shown', async () => ((await text(page, '#lookup-record')) || '').includes('no record'));
  });

  const refused = new Set(['DASH-0005', 'DASH-0010', 'DASH-0015']);
  await check('20 gateways provisioned through pep, 3 refused by the simulator (ReturnStatus 13)', async () => {
    const statuses = [];
    for (let i = 1; i <= 20; i++) {
      const serial = 'DASH-' + String(i).padStart(4, '0');
      const port = refused.has(serial) ? env.SIM_BAD_PORT : env.SIM_OK_PORT;
      const r = await fetch(`${url}/v3/identity?serialNumber=${serial}&ip=127.0.0.1&port=${port}`);
      await r.text();
      statuses.push(r.status);
    }
    equal(statuses.filter((s) => s === 200).length, 17, '200 answers');
  });

  await check('Now: 20 provisionings in the last hour, 85.0 % success, durations shown', async () => {
    await until('counters', async () => (await text(page, '#hour-total')) === '20'
      && (await text(page, '#success-ratio')) === '85.0 %');
    const durations = await text(page, '#durations');
    if (!/\d.* \/ .*\d/.test(durations)) throw new Error('durations: ' + durations);
    const bars = await count(page, '#chart rect');
    if (bars < 1) throw new Error('no bar in the chart');
    if (!(await text(page, '#slots')).includes('of ')) throw new Error('slots: ' + (await text(page, '#slots')));
  });

  await check('Recent attempts: 20 rows newest first, 3 gateway-refused with FCC ReturnStatus 13', async () => {
    await until('20 rows', async () => (await count(page, '#attempts tbody tr[data-outcome]')) === 20);
    equal(await page.locator('#attempts tbody tr[data-outcome]').first().getAttribute('data-serial'), 'DASH-0020', 'newest row');
    equal(await count(page, '#attempts tbody tr[data-outcome="gateway-refused"]'), 3, 'refused rows');
    const reason = await text(page, '#attempts tbody tr[data-outcome="gateway-refused"] td.reason');
    if (!reason.includes('ReturnStatus 13')) throw new Error('reason cell: ' + reason);
  });

  await check('filters by outcome and serial; a failed row expands to the API\'s answer', async () => {
    await page.selectOption('#filter-outcome', 'gateway-refused');
    await until('3 rows', async () => (await count(page, '#attempts tbody tr[data-outcome]')) === 3);
    await page.click('#attempts tbody tr[data-outcome="gateway-refused"] button');
    await until('detail row', async () => (await count(page, '#attempts tr.detail')) === 1);
    const detail = await text(page, '#attempts tr.detail');
    if (!detail.includes('what the API answered') || !detail.includes('FCC ReturnStatus: 13')) throw new Error('detail: ' + detail);
    equal(await page.locator('#attempts button[aria-expanded]').first().getAttribute('aria-expanded'), 'true', 'aria-expanded');
    await page.selectOption('#filter-outcome', '');
    await page.fill('#filter-serial', 'DASH-0007');
    await until('1 row', async () => (await count(page, '#attempts tbody tr[data-outcome]')) === 1
      && (await page.locator('#attempts tbody tr[data-outcome]').getAttribute('data-serial')) === 'DASH-0007');
    await page.fill('#filter-serial', '');
    await until('20 rows again', async () => (await count(page, '#attempts tbody tr[data-outcome]')) === 20);
  });

  await check('Failures grouped by reason: one bar of 3 for ReturnStatus 13, in every window', async () => {
    for (const w of ['1h', '24h', '7d']) {
      await page.check(`input[name=window][value="${w}"]`);
      await until('one group of 3 in ' + w, async () => (await count(page, '#failure-bars li[data-outcome]')) === 1
        && (await text(page, '#failure-bars li[data-outcome="gateway-refused"] .count')) === '3'
        && (await text(page, '#failure-bars li .text')).includes('ReturnStatus 13'));
    }
    await page.check('input[name=window][value="1h"]');
  });

  await check('Lookup updates without a reload: the record and its attempt appear', async () => {
    await until('record of DASH-0020', async () => /enrollmentID\s*A-/.test(await text(page, '#lookup-record')));
    equal(await count(page, '#lookup-attempts tbody tr[data-outcome="ok"]'), 1, 'ok attempts of DASH-0020');
    await page.fill('#lookup-serial', 'DASH-0010');
    await page.click('#lookup-form button[type=submit]');
    await until('DASH-0010 refused', async () => ((await text(page, '#lookup-record')) || '').includes('no record')
      && (await count(page, '#lookup-attempts tbody tr[data-outcome="gateway-refused"]')) === 1);
  });

  await check('Exports: a CSV drop run from the page is listed with its 17 ids', async () => {
    await page.click('#run-csv');
    await until('result', async () => /finished: 17 ids/.test(await text(page, '#export-result')));
    await until('listed', async () => (await count(page, '#runs tbody tr[data-kind="csv"]')) === 1
      && (await text(page, '#last-csv')).includes('.csv'));
  });

  await check('accessibility: axe-core finds no serious or critical violation', async () => {
    await page.addScriptTag({ content: axeSource });
    const found = await page.evaluate(async () => (await window.axe.run(document)).violations
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
    writeFileSync(join(env.OUT_DIR, 'axe.json'), JSON.stringify(found, null, 2));
    const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length) throw new Error(JSON.stringify(bad));
  });

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(env.OUT_DIR, 'dashboard-1920x1080.png') });
  // docs/dashboard.png (the README's picture) only on request: a test run leaves tracked files alone
  if (env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(join(env.OUT_DIR, 'dashboard-1920x1080.png'), join(env.REPO, 'docs', 'dashboard.png'));
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: join(env.OUT_DIR, 'dashboard-1366x768-full.png'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });

  phase = 'store-down';
  await check('health: store red with the reason when the store stops, green when it returns', async () => {
    equal(await page.locator('#health li[data-check="store"]').getAttribute('data-level'), 'green', 'before');
    await stop(env.STORE_PID_FILE);
    await until('store red', async () => (await page.locator('#health li[data-check="store"]').getAttribute('data-level')) === 'red'
      && (await text(page, '#health li[data-check="store"] .state')) === 'down');
    await page.screenshot({ path: join(env.OUT_DIR, 'dashboard-store-down.png') });
    start(env.STORE_START, env.STORE_PID_FILE);
    await until('store green', async () => (await page.locator('#health li[data-check="store"]').getAttribute('data-level')) === 'green');
    await until('summary back', async () => (await text(page, '#hour-total')) === '20' && (await text(page, '#summary-error')) === '');
  });

  phase = 'pep-down';
  await check('pep restart: "pep unreachable — retrying" meanwhile, then live again', async () => {
    await stop(env.PEP_PID_FILE);
    await until('banner', async () => page.locator('#banner').isVisible());
    equal((await text(page, '#banner')).trim(), 'pep unreachable — retrying', 'banner text');
    await page.screenshot({ path: join(env.OUT_DIR, 'dashboard-pep-unreachable.png') });
    start(env.PEP_START, env.PEP_PID_FILE);
    await until('banner gone', async () => page.locator('#banner').isHidden(), 180000);
    await until('counters again', async () => (await text(page, '#hour-total')) === '20');
  });
  phase = 'after';

  await check('no console errors (outside the deliberate outages: only Chromium\'s failed-request lines there)', async () => {
    const bad = consoleErrors.filter(([p, m]) => !(outagePhases.has(p) && m.startsWith('Failed to load resource')));
    writeFileSync(join(env.OUT_DIR, 'console.json'), JSON.stringify(consoleErrors, null, 2));
    if (bad.length) throw new Error(JSON.stringify(bad));
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

const failed = results.filter(([, ok]) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
