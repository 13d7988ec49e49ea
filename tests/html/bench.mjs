// bench.mjs REPORT.html [RUNS] - how a large report behaves in Debian's headless Chromium,
// against an empty page loaded by the same browser in the same run (loads alternate, so
// both see the same machine load): open (navigation start -> the page's script done, as
// seen from Node), then searches, collapse all and expand all timed inside the page from
// the event that applies them to the frame painted after. Medians of RUNS fresh page loads.
// For scripts/bench-html.sh; not a test. Prints the figures and, last, one line
// "ratio load=<report/empty>" for the script to judge.
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openReport } from './browser.mjs';

const [file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = { empty: [], load: [], paint: [], built: [], firstSearch: [], pidSearch: [], textSearch: [], clear: [],
                  collapse: [], expand: [] };
// The empty page: nothing but the element the report's script marks when it is done, so
// openReport waits for the same thing on both.
const emptyDir = mkdtempSync(join(tmpdir(), 'wslns-bench-empty-'));
const empty = join(emptyDir, 'empty.html');
writeFileSync(empty, '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>empty</title></head>' +
                     '<body><section id="tree" data-ready="yes"></section></body></html>\n');
// CPU milliseconds of the renderer's main thread from an action (a search, or a click on
// #id) to the second frame after it: the top-level trace events' thread time.
const cpu = {};
const COUNTED = new Set(['FunctionCall', 'EventDispatch', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint',
                         'Layerize', 'MinorGC', 'MajorGC', 'RunMicrotasks', 'FireAnimationFrame', 'TimerFire']);
async function cpuOf(cdp, page, action) {
  const events = [];
  const collect = (d) => events.push(...d.value);
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8', transferMode: 'ReportEvents' });
  await page.evaluate((a) => new Promise((resolve) => {
    if (a.startsWith('#')) {
      document.querySelector(a).click();
    } else {
      const search = document.getElementById('search');
      search.value = a;
      search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    }
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }), action);
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  let sum = 0;
  let end = -1;
  for (const e of events.filter((x) => x.ph === 'X' && COUNTED.has(x.name) && x.tdur !== undefined)
                        .sort((x, y) => x.ts - y.ts)) {
    if (e.ts >= end) { // nested events are in their parent's time
      sum += e.tdur / 1000;
      end = e.ts + e.dur;
    }
  }
  return sum;
}
const b = await launch();
try {
  for (let i = 0; i < runs; i++) {
    const blank = await openReport(b, empty, { rows: false });
    figures.empty.push(blank.loadMs);
    await blank.page.close();
    const { page, trouble, loadMs } = await openReport(b, file, { rows: false });
    if (trouble.length) {
      throw new Error(trouble.join('; '));
    }
    figures.load.push(loadMs);
    figures.paint.push(await page.evaluate(() =>
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    // A page that builds its rows (and its search index) after it opened says so in
    // #tree[data-rows] ([data-index]); the searches are timed once the page is done with
    // that, as on a page that had them from the start.
    const t0 = performance.now();
    await page.waitForFunction(() => {
      const tree = document.getElementById('tree');
      return (tree.dataset.rows ?? 'built') === 'built' && (tree.dataset.index ?? 'ready') === 'ready';
    }, null, { timeout: 60000, polling: 10 });
    figures.built.push(loadMs + performance.now() - t0);
    // Then a second without work, for both kinds of page: what was freed is collected
    // before the timing, not during it.
    await page.waitForTimeout(1000);
    const timed = (query) => page.evaluate((q) => new Promise((resolve) => {
      const search = document.getElementById('search');
      const t0 = performance.now();
      search.value = q;
      search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({
        ms: performance.now() - t0, status: document.getElementById('search-status').textContent })));
    }), query);
    const click = (id) => page.evaluate((id) => new Promise((resolve) => {
      const t0 = performance.now();
      document.getElementById(id).click();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    }), id);
    const first = await timed('4242');
    figures.firstSearch.push(first.ms);
    await timed('');
    const pid = await timed('7');
    figures.pidSearch.push(pid.ms);
    const text = await timed('postgres');
    figures.textSearch.push(text.ms);
    figures.clear.push((await timed('')).ms);
    figures.collapse.push(await click('collapse-all'));
    figures.expand.push(await click('expand-all'));
    if (i === 0) {
      console.log(`  search "4242": ${first.status}; "7": ${pid.status}; "postgres": ${text.status}`);
    }
    // The same actions again, as CPU time of the page's main thread (Chromium's trace),
    // which other work on a loaded machine does not inflate.
    const cdp = await b.context.newCDPSession(page);
    for (const [key, action] of [['pidSearch', '7'], ['textSearch', 'postgres'], ['clear', ''],
                                 ['collapse', '#collapse-all'], ['expand', '#expand-all']]) {
      (cpu[key] ||= []).push(await cpuOf(cdp, page, action));
    }
    await cdp.detach();
    await page.close();
  }
} finally {
  await b.close();
  rmSync(emptyDir, { recursive: true, force: true });
}
const label = {
  empty: 'open an empty page (same browser, same run)',
  load: 'open the report (navigation to script done)',
  paint: 'first contentful paint (in the page)',
  built: 'every row and the index built (from navigation)',
  firstSearch: 'first search, pid 4242 (index: see above)',
  pidSearch: 'search a pid, 7 (any level)',
  textSearch: 'search text, "postgres"',
  clear: 'clear the search (every row back)',
  collapse: 'collapse all',
  expand: 'expand all (every row back)',
};
for (const [k, xs] of Object.entries(figures)) {
  console.log(`  ${label[k].padEnd(46)} median ${median(xs).toFixed(0).padStart(5)} ms  (max ${Math.max(...xs).toFixed(0)} ms)`);
}
console.log(`  CPU time of the page's main thread, median: ${Object.entries(cpu).map(([k, xs]) =>
  `${k === 'pidSearch' ? 'search 7' : k === 'textSearch' ? 'search "postgres"' : k === 'collapse' ? 'collapse all' : k === 'expand' ? 'expand all' : 'clear'} ${median(xs).toFixed(0)} ms`).join(', ')}`);
console.log(`ratio load=${(median(figures.load) / median(figures.empty)).toFixed(2)}`);
