// The demo in a real browser (Debian's chromium driven by playwright-core, closed network): search,
// open the failing trace, check the waterfall (bars, nesting, order, widths, critical path), span
// details, collapse and keys, the JSON download, and the dependency graph. Screenshots are saved
// under .tmp/screenshots as artifacts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

const SHOTS = '.tmp/screenshots';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];
interface Box { x: number; width: number }
const FOCUSED_ROW = "[...document.querySelectorAll('.row')].indexOf(document.activeElement)";
const ZERO = ['--udp-port', '0', '--udp-binary-port', '0', '--collector-port', '0', '--otlp-port', '0', '--ui-port', '0', '--sampling-port', '0'];

let demo: ChildProcess;
let output = '';
let viewerUrl = '';
const traces = new Map<string, { status: number; url: string }>();
let context: BrowserContext;
let profile: string;
let page: Page;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = spawn(process.execPath, ['dist/esm/cli.js', 'demo', ...ZERO], { stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo printed no URLs in 60 s:\n${output}`)), 60_000);
    demo.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Press Ctrl-C/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    demo.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${output}`)));
  });
  for (const match of output.matchAll(/(GET \S+)\s+(\d{3})\s+(http:\S+)/g)) traces.set(match[1]!, { status: Number(match[2]), url: match[3]! });
  viewerUrl = /Viewer: (http:\S+)/.exec(output)![1]!;
  profile = mkdtempSync(join(tmpdir(), 'viewer-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  if (demo !== undefined && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
});

describe('the demo in chromium', () => {
  it('printed one trace URL per request, one of them failed', () => {
    assert.match(output, /started gateway \(Express → Jaeger UDP\), orders \(Fastify → OTLP protobuf\), inventory \(node:http → Jaeger collector HTTP\)/);
    // .ci/run installs mariadb-server; dynalite, mysql2 and the AWS SDK are dev dependencies
    assert.match(output, /started for orders: MariaDB on 127\.0\.0\.1:\d+, DynamoDB \(dynalite\) on 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(output, /not started/);
    assert.equal(traces.size, 5, output);
    assert.equal(traces.get('GET /checkout/book')!.status, 201);
    assert.equal(traces.get('GET /checkout/unicorn')!.status, 502);
  });

  it('a checkout trace holds the orders service\'s MariaDB query and DynamoDB calls', async () => {
    const { url } = traces.get('GET /checkout/book')!;
    type Tag = { key: string; value: unknown };
    const json = (await (await fetch(url.replace('/trace/', '/api/traces/'))).json()) as { data: { spans: { spanID: string; operationName: string; processID: string; tags: Tag[]; references: { spanID: string }[] }[]; processes: Record<string, { serviceName: string }> }[] };
    const { spans, processes } = json.data[0]!;
    const tag = (span: { tags: Tag[] }, key: string): unknown => span.tags.find((t) => t.key === key)?.value;
    const service = (span: { processID: string }): string => processes[span.processID]!.serviceName;
    const parent = (span: { references: { spanID: string }[] }) => spans.find((s) => s.spanID === span.references[0]?.spanID);
    const server = spans.find((s) => service(s) === 'orders' && s.operationName === 'POST /orders')!;
    const select = spans.find((s) => s.operationName === 'SELECT');
    assert.ok(select !== undefined, `no SELECT span in ${spans.map((s) => s.operationName).join(', ')}`);
    assert.equal(tag(select, 'component'), 'mysql2');
    assert.equal(tag(select, 'db.statement'), 'SELECT available FROM stock WHERE item = ?');
    assert.equal(service(select), 'orders');
    assert.equal(parent(select), server);
    for (const operation of ['DynamoDB.GetItem', 'DynamoDB.PutItem']) {
      const call = spans.find((s) => s.operationName === operation);
      assert.ok(call !== undefined, `no ${operation} span`);
      assert.equal(service(call), 'orders');
      assert.equal(parent(call), server);
      const http = spans.filter((s) => parent(s) === call);
      assert.equal(http.length, 1, `${operation} has its HTTP call as a child`);
      assert.equal(http[0]!.operationName, 'POST');
    }
    await page.goto(url);
    assert.equal(await page.locator('.row').count(), spans.length);
    await page.screenshot({ path: `${SHOTS}/trace-checkout.png`, fullPage: true });
  });

  it('search: filters by service and operation, lists the traces, plots them', async () => {
    await page.goto(viewerUrl);
    await page.selectOption('#service', 'gateway');
    await page.waitForFunction("document.getElementById('operation').options.length > 1");
    await page.selectOption('#operation', 'GET /checkout/:item');
    await Promise.all([page.waitForURL(/\/search\?/), page.click('button[type=submit]')]);
    assert.equal(await page.locator('li.result').count(), 4);
    assert.equal(await page.locator('svg.scatter circle').count(), 4);
    assert.equal(await page.locator('svg.scatter circle.bad').count(), 1, 'the failed request is red');
    await page.screenshot({ path: `${SHOTS}/search.png`, fullPage: true });
    await page.goto(`${viewerUrl}search?errorsOnly=1`);
    assert.equal(await page.locator('li.result').count(), 1);
  });

  it('trace page: waterfall bars, nesting, order, widths and the critical path', async () => {
    const { url } = traces.get('GET /checkout/unicorn')!;
    const traceID = url.split('/').pop()!;
    await page.goto(viewerUrl);
    await Promise.all([page.waitForURL(/\/trace\//), page.click(`li.result[data-trace-id="${traceID}"] a`)]);
    const rows = await page.$$eval('.row', (els) => els.map((el) => ({
      depth: Number(el.getAttribute('data-d')),
      name: `${el.querySelector('.svc')!.textContent} ${el.querySelector('.op')!.textContent}`,
      error: el.classList.contains('error'),
      critical: el.classList.contains('critical'),
      bar: el.querySelector('.bar')!.getBoundingClientRect().toJSON() as Box,
      lane: el.querySelector('.lane')!.getBoundingClientRect().toJSON() as Box,
      cp: [...el.querySelectorAll('.cp')].map((cp) => cp.getBoundingClientRect().width),
    })));
    assert.deepEqual(rows.map((r) => [r.depth, r.name]), [
      [0, 'gateway GET /checkout/:item'], [1, 'gateway POST'], [2, 'orders POST /orders'], [3, 'orders GET'], [4, 'inventory GET'],
    ]);
    assert.deepEqual(rows.map((r) => r.error), [true, true, true, false, false]);
    assert.equal(await page.locator('.row .mark').count(), 3);
    // widths: each bar is its span's share of the trace, to the pixel
    const json = (await (await page.request.get(`${viewerUrl}api/traces/${traceID}`)).json()) as { data: { spans: { spanID: string; startTime: number; duration: number }[] }[] };
    const spans = json.data[0]!.spans;
    const start = Math.min(...spans.map((s) => s.startTime));
    const total = Math.max(...spans.map((s) => s.startTime + s.duration)) - start;
    const ids = await page.$$eval('.row', (els) => els.map((el) => el.id.slice(2)));
    for (const [i, row] of rows.entries()) {
      const span = spans.find((s) => s.spanID === ids[i])!;
      assert.ok(Math.abs(row.bar.width - Math.max(1, (span.duration / total) * row.lane.width)) < 1.5, `width of ${row.name}`);
      assert.ok(Math.abs(row.bar.x - row.lane.x - ((span.startTime - start) / total) * row.lane.width) < 1.5, `offset of ${row.name}`);
    }
    // within one process a child ends before its parent (across processes, clocks and finish points differ)
    assert.ok(rows[0]!.bar.width >= rows[1]!.bar.width && rows[2]!.bar.width >= rows[3]!.bar.width, 'children no wider than parents');
    // the critical path covers the root span end to end (a span in another process may end after
    // the root has answered: that time is not on the path) and passes through the root
    assert.ok(rows[0]!.critical);
    const covered = rows.reduce((sum, r) => sum + r.cp.reduce((a, b) => a + b, 0), 0);
    assert.ok(Math.abs(covered - rows[0]!.bar.width) < 3, `critical path covers ${covered} of the root's ${rows[0]!.bar.width} px`);
    assert.ok(rows[4]!.critical, 'the innermost call is on it');
    await page.screenshot({ path: `${SHOTS}/trace.png`, fullPage: true });
  });

  it('span details, collapse and keyboard', async () => {
    const row = (i: number) => page.locator('.row').nth(i);
    await row(0).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(FOCUSED_ROW), 1);
    await page.keyboard.press('Enter');
    const details = page.locator('.details');
    await details.waitFor({ timeout: 5000 }); // details are read from the query API on first use
    assert.equal(await details.count(), 1);
    const text = await details.innerText();
    for (const expected of ['http.status_code', '500', 'PROCESS', 'hostname', 'REFERENCES', 'CHILD_OF', 'GET /checkout/:item']) assert.ok(text.includes(expected), expected);
    await page.screenshot({ path: `${SHOTS}/trace-details.png`, fullPage: true });
    await page.keyboard.press('Enter');
    assert.equal(await details.count(), 0);
    await page.keyboard.press('ArrowLeft'); // collapses gateway POST
    // what is on screen, not only the attribute (a `display` rule once overrode `hidden`)
    assert.deepEqual(await page.$$eval('.row', (els) => els.map((el) => el.getBoundingClientRect().height === 0)), [false, false, true, true, true]);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(FOCUSED_ROW), 1, 'no visible row below');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('.row:visible').count(), 5);
    await row(3).locator('button.tog').click();
    assert.equal(await page.locator('.row:visible').count(), 4);
    await page.click('#collapse-all');
    assert.equal(await page.locator('.row:visible').count(), 2, 'only the root and its child stay');
    await page.click('#expand-all');
    assert.equal(await page.locator('.row:visible').count(), 5);
    const href = await page.locator('a[download]').getAttribute('href');
    const download = (await (await page.request.get(new URL(href!, viewerUrl).href)).json()) as { data: { spans: unknown[]; processes: object }[] };
    assert.equal(download.data[0]!.spans.length, 5, 'the download is the upload shape Jaeger UI reads');
    assert.equal(Object.keys(download.data[0]!.processes).length, 3);
  });

  it('dependencies: edges with call counts and error rates', async () => {
    await page.goto(`${viewerUrl}dependencies`);
    const edges = await page.$$eval('svg.graph g.edge', (els) => els.map((el) => [el.getAttribute('data-parent'), el.getAttribute('data-child'), el.textContent, el.classList.contains('bad')]));
    assert.deepEqual(edges, [['gateway', 'orders', '5 calls · 20% errors', true], ['orders', 'inventory', '4 calls', false]]);
    assert.equal(await page.locator('svg.graph g.node').count(), 3);
    await page.screenshot({ path: `${SHOTS}/dependencies.png`, fullPage: true });
  });

  it('operations page, and the dark theme', async () => {
    await page.goto(`${viewerUrl}operations`);
    const gatewayCheckout = await page.locator('table.ops tr', { hasText: 'GET /checkout/:item' }).innerText();
    assert.match(gatewayCheckout, /gateway\s+GET \/checkout\/:item\s+4\s+25\.0%/);
    await page.screenshot({ path: `${SHOTS}/operations.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(traces.get('GET /checkout/book')!.url);
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(background, 'rgb(13, 17, 23)');
    await page.screenshot({ path: `${SHOTS}/trace-dark.png`, fullPage: true });
  });
});
