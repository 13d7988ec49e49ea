// bench.mjs REPORT.html [RUNS] - how a large report behaves in Debian's headless Chromium:
// load (navigation start -> the page's script done), then searches timed inside the page
// from the keystroke that applies them (Enter) to the frame painted after. Medians of RUNS
// fresh page loads. For scripts/bench-html.sh; not a test.
import { launch, openReport } from './browser.mjs';

const [file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = { load: [], paint: [], ready: [], firstSearch: [], pidSearch: [], textSearch: [], clear: [] };
const b = await launch();
try {
  for (let i = 0; i < runs; i++) {
    const { page, trouble, loadMs } = await openReport(b, file);
    if (trouble.length) {
      throw new Error(trouble.join('; '));
    }
    figures.load.push(loadMs);
    figures.ready.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    figures.paint.push(await page.evaluate(() =>
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    const timed = (query) => page.evaluate((q) => new Promise((resolve) => {
      const search = document.getElementById('search');
      const t0 = performance.now();
      search.value = q;
      search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({
        ms: performance.now() - t0, status: document.getElementById('search-status').textContent })));
    }), query);
    const first = await timed('4242');
    figures.firstSearch.push(first.ms);
    await timed('');
    const pid = await timed('7');
    figures.pidSearch.push(pid.ms);
    const text = await timed('postgres');
    figures.textSearch.push(text.ms);
    figures.clear.push((await timed('')).ms);
    if (i === 0) {
      console.log(`  search "4242": ${first.status}; "7": ${pid.status}; "postgres": ${text.status}`);
    }
    await page.close();
  }
} finally {
  await b.close();
}
const label = {
  load: 'open (navigation to script done, as seen from Node)',
  paint: 'first contentful paint (in the page)',
  ready: 'load event end (in the page)',
  firstSearch: 'first search, pid 4242 (builds the index)',
  pidSearch: 'search a pid, 7 (any level)',
  textSearch: 'search text, "postgres"',
  clear: 'clear the search (every row back)',
};
for (const [k, xs] of Object.entries(figures)) {
  console.log(`  ${label[k].padEnd(52)} median ${median(xs).toFixed(0).padStart(5)} ms  (max ${Math.max(...xs).toFixed(0)} ms)`);
}
