// check.mjs CASE DIR - one browser test of the HTML report (tests/html/CMakeLists.txt registers
// each).
//
// DIR holds what lab-report.sh made from a namespace lab: lab.html, lab.json (the same run's
// --json report), truth-before.json and truth-after.json (lab.sh truth around the run).
//
//   truth      every namespace and process of the lab's truth is in the page after its
//              script ran, with its parent, its pid at every level and its comm; the rows
//              are the --json report's processes in its order, and the embedded JSON is that
//              report with "processes" in the page's form (what the rows do not show);
//              nothing was requested, logged or blocked
//   search     a pid of a middle level shows exactly the rows with that pid (or that whole
//              argument), with their branches open and every other branch hidden; text
//              search; clearing shows everything again
//   highlight  clicking a pid marks that process's pid at every level and only those
//   expand     collapse all / expand all
//   nojs       with JavaScript off, the tree, every namespace and every row are still shown
//   hostile    a report made (wslns --from) from probe documents full of markup, quotes,
//              invalid UTF-8 and bidi overrides shows them as text and runs nothing
//   placeholder without the VM root's view the distros hang below a dashed "not visible"
//              box, and the unseen level's pid column says so
//   picture    with JavaScript off, the picture at the top has one box per namespace of the
//              truth, nested as the truth, in the tree's kind colours, labelled as the tree;
//              clicking a box goes to its namespace's section; nothing overlaps, every text
//              stays inside its box
//   picture50  a synthetic report of 50 namespaces (synthetic.py, DIR/picture50.html): the
//              same geometry checks, at the picture's own size (not scaled down)
//   find       a synthetic report of 3,000 processes (DIR/find.html): the page opens with only
//              the rows near the screen built; the browser's find (Ctrl+F, F3) and printing
//              build every row first, in the page's order, so they see every process
//   screenshot the demo screenshot (DIR/report-screenshot.png; also copied to
//              $WSLNS_SCREENSHOT_TO when set, e.g. docs/report-screenshot.png)
//
// Environment: WSLNS_BIN (for hostile: wslns), WSLNS_HOST_DATA (tests/support/data).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openReport, searchFor } from './browser.mjs';

const [caseName, dir] = process.argv.slice(2);
const problems = [];
const fail = (msg) => problems.push(msg);
const readJson = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

// Truth processes that lived through the whole run (the run's own probes are not in it).
function stableTruth() {
  const before = readJson('truth-before.json');
  const after = readJson('truth-after.json');
  const key = (p) => `${p.pidns}/${p.nspid[p.nspid.length - 1]}`;
  const kept = new Set(after.processes.map(key));
  return { truth: before, processes: before.processes.filter((p) => kept.has(key(p))) };
}

// A process row and its cells (render_html.c): a pid per level, then ppid, comm, cmdline and
// uid. Cells carry no class and rows no number, so, as report.css and report.js do, a cell is
// known by its place from the end and a row's number (its index in the --json report's
// processes) is its place among the page's rows.
const ROW = '#tree table.procs > tbody > tr';
const PID = 'td:nth-last-child(n+5)';
const COMM = 'td:nth-last-child(3)';
const CMD = 'td:nth-last-child(2)';

// Everything the page shows, read from the DOM: namespaces with their parent, rows with
// their pid cells, comm and visibility. (Without JavaScript a table sits in a <noscript>
// of its div.rows; with it, the script put it in that element's place.)
async function readTree(page) {
  return page.evaluate(({ ROW, PID, COMM, CMD }) => {
    const visible = (el) => el.checkVisibility();
    const number = new Map(Array.from(document.querySelectorAll(ROW), (tr, i) => [tr, i]));
    const namespaces = [];
    for (const node of document.querySelectorAll('#tree details.ns')) {
      const parent = node.parentElement.closest('details.ns');
      const rows = [];
      for (const tr of node.querySelectorAll(':scope > div.rows table.procs > tbody > tr')) {
        rows.push({
          p: number.has(tr) ? number.get(tr) : null,
          pids: Array.from(tr.querySelectorAll(`:scope > ${PID}`), (td) => td.textContent),
          comm: tr.querySelector(`:scope > ${COMM}`).textContent,
          cmd: tr.querySelector(`:scope > ${CMD}`).textContent,
          visible: visible(tr),
        });
      }
      namespaces.push({ id: node.dataset.ns, parent: parent ? parent.dataset.ns : null, open: node.open,
                        visible: visible(node.querySelector(':scope > summary')), rows });
    }
    return namespaces;
  }, { ROW, PID, COMM, CMD });
}

function checkTrouble(trouble) {
  for (const t of trouble) {
    fail(t);
  }
}

async function caseTruth() {
  const { truth, processes } = stableTruth();
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    const tree = await readTree(page);
    const byId = new Map(tree.map((n) => [n.id, n]));
    for (const ns of truth.namespaces) {
      const node = byId.get(`pid:[${ns.inode}]`);
      if (!node) {
        fail(`namespace pid:[${ns.inode}] is not in the page`);
      } else if ((node.parent || null) !== (ns.parent === null ? null : `pid:[${ns.parent}]`)) {
        fail(`namespace pid:[${ns.inode}] hangs below ${node.parent}, the truth says pid:[${ns.parent}]`);
      } else if (!node.visible) {
        fail(`namespace pid:[${ns.inode}] is not visible`);
      }
    }
    for (const p of processes) {
      const node = byId.get(`pid:[${p.pidns}]`);
      const want = p.nspid.map(String).join(' / ');
      const row = node && node.rows.find((r) => r.pids.join(' / ') === want);
      if (!row) {
        fail(`process ${p.comm} ${want} is not a row of pid:[${p.pidns}]`);
      } else if (row.comm !== p.comm) {
        fail(`process ${want}: comm ${JSON.stringify(row.comm)}, the truth says ${JSON.stringify(p.comm)}`);
      } else if (!row.visible) {
        fail(`process ${p.comm} ${want} is not visible`);
      }
    }
    // Rows are numbered as the --json report's processes, and are them.
    const file = readJson('lab.json');
    const embedded = await page.evaluate(() => JSON.parse(document.getElementById('wslns-report').textContent));
    const rows = tree.flatMap((n) => n.rows.map((r) => ({ ...r, ns: n.id })));
    if (rows.length !== file.processes.length) {
      fail(`${rows.length} rows but ${file.processes.length} processes in the --json report`);
    }
    for (const r of rows) {
      const p = file.processes[r.p];
      const known = r.pids.filter((x) => x !== '?');
      if (!p || p.ns !== r.ns || p.pids.map((l) => String(l.pid)).join() !== known.join() || p.comm !== r.comm) {
        fail(`row ${r.p} (${r.comm} ${r.pids.join(' / ')}) is not processes[${r.p}] of the --json report`);
      }
    }
    // The embedded report: the same document, its processes by column in the rows' order,
    // only what the rows do not show.
    const columns = embedded.processes || {};
    const want = {
      count: file.processes.length,
      starttime: file.processes.map((p) => p.starttime),
      state: file.processes.map((p) => p.state || '?').join(''),
      kthread: file.processes.flatMap((p, i) => (p.kthread ? [i] : [])),
      comm_hex: file.processes.flatMap((p, i) => (p.comm_hex ? [[i, p.comm_hex]] : [])),
      cmdline_hex: file.processes.flatMap((p, i) => (p.cmdline_hex ? [[i, p.cmdline_hex]] : [])),
    };
    if (JSON.stringify(columns) !== JSON.stringify(want)) {
      fail(`the embedded report's processes are not the page's form of the --json report's: ${JSON.stringify(columns).slice(0, 200)}`);
    }
    if (JSON.stringify({ ...file, processes: null }) !== JSON.stringify({ ...embedded, processes: null })) {
      fail('the embedded report differs from the one --json wrote in the same run (processes aside)');
    }
    checkTrouble(trouble);
    console.log(`${truth.namespaces.length} namespaces and ${processes.length} lab processes checked in ${rows.length} rows`);
  } finally {
    await b.close();
  }
}

async function visibleRows(page) {
  const tree = await readTree(page);
  return { tree, rows: tree.flatMap((n) => n.rows.map((r) => ({ ...r, ns: n.id }))).filter((r) => r.visible) };
}

async function caseSearch() {
  const { processes } = stableTruth();
  const report = readJson('lab.json');
  // A pid of a middle level: sleep 680001's pid in the system distro of Ubuntu.
  const target = processes.find((p) => p.comm === 'sleep' && p.nspid.length >= 3 &&
                                       report.processes.some((r) => r.cmdline.join(' ') === 'sleep 680001' &&
                                                              r.pids[r.pids.length - 1].pid === p.nspid[p.nspid.length - 1]));
  if (!target) {
    fail('the lab has no "sleep 680001" three levels deep to search for');
    return;
  }
  const pid = String(target.nspid[1]);
  const expected = new Set();
  report.processes.forEach((p, i) => {
    if (p.pids.some((l) => String(l.pid) === pid) || p.cmdline.includes(pid) || p.comm === pid) {
      expected.add(i);
    }
  });
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    const total = report.processes.length;
    await page.click('#collapse-all'); // the search must open the branches it finds
    const ms = await searchFor(page, pid);
    let { tree, rows } = await visibleRows(page);
    const shown = new Set(rows.map((r) => r.p));
    for (const i of expected) {
      if (!shown.has(i)) {
        const p = report.processes[i];
        fail(`search ${pid}: ${p.comm} ${p.pids.map((l) => l.pid).join(' / ')} has that pid but is hidden`);
      }
    }
    for (const r of rows) {
      if (!expected.has(r.p)) {
        fail(`search ${pid}: ${r.comm} ${r.pids.join(' / ')} does not match but is shown`);
      }
    }
    if (!rows.some((r) => r.pids.join() === target.nspid.join())) {
      fail(`search ${pid}: the sleep 680001 row (${target.nspid.join(' / ')}) is not shown`);
    }
    // Branches: a namespace is shown and open exactly when it or a descendant has a match.
    const matchNs = new Set(rows.map((r) => r.ns));
    const parentOf = new Map(tree.map((n) => [n.id, n.parent]));
    const branch = new Set();
    for (const id of matchNs) {
      for (let n = id; n; n = parentOf.get(n)) {
        branch.add(n);
      }
    }
    for (const n of tree) {
      if (branch.has(n.id) && !(n.visible && n.open)) {
        fail(`search ${pid}: namespace ${n.id} holds a match but is ${n.visible ? 'closed' : 'hidden'}`);
      }
      if (!branch.has(n.id) && n.visible) {
        fail(`search ${pid}: namespace ${n.id} holds no match but is shown`);
      }
    }
    const status = await page.textContent('#search-status');
    if (status !== `${expected.size} of ${total} processes match`) {
      fail(`search ${pid}: status says "${status}", expected ${expected.size} of ${total}`);
    }
    console.log(`search ${pid} (${target.comm}'s pid at level 2): ${rows.length} of ${total} rows shown in ${ms.toFixed(0)} ms`);

    await searchFor(page, 'SLEEP 6800');
    ({ rows } = await visibleRows(page));
    const sleepers = report.processes.filter((p) => `${p.comm}\n${p.cmdline.join(' ')}`.toLowerCase().includes('sleep 6800'));
    if (rows.length !== sleepers.length || !rows.every((r) => r.cmd.includes('sleep 6800'))) {
      fail(`text search "SLEEP 6800": ${rows.length} rows shown (${rows.map((r) => r.cmd).join(', ')}), expected ${sleepers.length}`);
    }

    // The search is in the address: reopening that link shows the same rows.
    const link = page.url();
    if (!link.endsWith('#q=SLEEP%206800')) {
      fail(`after a search the address is ${link}, expected it to end in #q=SLEEP%206800`);
    }
    const again = await b.context.newPage();
    await again.goto(link);
    await again.waitForSelector('#tree[data-ready="yes"]', { state: 'attached' });
    const linked = (await visibleRows(again)).rows.length;
    if (linked !== sleepers.length || (await again.inputValue('#search')) !== 'SLEEP 6800') {
      fail(`the link ${link} opens with ${linked} rows shown, expected ${sleepers.length}`);
    }
    await again.close();

    await searchFor(page, '');
    const filtered = await page.$$eval('.nomatch', (els) => els.length);
    await page.click('#expand-all');
    ({ rows } = await visibleRows(page));
    if (filtered || rows.length !== total) {
      fail(`after clearing the search ${filtered} elements are still filtered and ${rows.length} of ${total} rows shown`);
    }
    checkTrouble(trouble);
  } finally {
    await b.close();
  }
}

// The row showing truth process p (its namespace, its pid at every level), as a locator.
async function rowOf(page, p) {
  const index = await page.evaluate(({ ns, pids, ROW, PID }) => {
    const rows = Array.from(document.querySelectorAll(ROW));
    return rows.findIndex((tr) => tr.closest('details.ns').dataset.ns === ns &&
      Array.from(tr.querySelectorAll(`:scope > ${PID}`), (td) => td.textContent).join('/') === pids);
  }, { ns: `pid:[${p.pidns}]`, pids: p.nspid.join('/'), ROW, PID });
  if (index < 0) {
    throw new Error(`no row shows ${p.comm} (${p.nspid.join(' / ')})`);
  }
  return page.locator(ROW).nth(index);
}

async function caseHighlight() {
  const { processes } = stableTruth();
  const target = processes.find((p) => p.comm === 'nginx' && p.nspid.length >= 4) ||
                 processes.find((p) => p.nspid.length >= 3);
  const other = processes.find((p) => p !== target && p.nspid.length >= 2);
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    const highlighted = () => page.$$eval('td.hl', (cells) => cells.map((c) => ({
      text: c.textContent, row: c.closest('tr'), bg: getComputedStyle(c).backgroundColor })).map((c, _, all) => ({
      text: c.text, p: all.findIndex((o) => o.row === c.row), bg: c.bg })));

    // Click the outermost level (the VM root's pid): every level must light up.
    await (await rowOf(page, target)).locator(PID).first().click();
    let cells = await highlighted();
    if (cells.map((c) => c.text).join(' / ') !== target.nspid.join(' / ')) {
      fail(`clicking ${target.comm}'s VM-root pid ${target.nspid[0]} highlights [${cells.map((c) => c.text).join(' / ')}], expected every level [${target.nspid.join(' / ')}]`);
    }
    if (new Set(cells.map((c) => c.p)).size !== 1) {
      fail('the highlighted cells belong to more than one process');
    }
    const plain = await (await rowOf(page, target)).locator(COMM).evaluate((c) => getComputedStyle(c).backgroundColor);
    if (cells.some((c) => c.bg === plain)) {
      fail('a highlighted pid cell looks like any other cell');
    }
    const selection = await page.textContent('#selection');
    for (const pid of target.nspid) {
      if (!selection.includes(`${pid} in `)) {
        fail(`the selection line "${selection}" does not give pid ${pid}`);
      }
    }
    // Clicking the own level of another process moves the highlight there.
    await (await rowOf(page, other)).locator(PID).last().click();
    cells = await highlighted();
    if (cells.map((c) => c.text).join(' / ') !== other.nspid.join(' / ')) {
      fail(`after clicking ${other.comm}, [${cells.map((c) => c.text).join(' / ')}] is highlighted, expected [${other.nspid.join(' / ')}]`);
    }
    // Clicking it again clears the highlight.
    await (await rowOf(page, other)).locator(PID).last().click();
    if ((await highlighted()).length) {
      fail('clicking the selected pid again leaves cells highlighted');
    }
    checkTrouble(trouble);
    console.log(`${target.comm} highlighted at ${target.nspid.length} levels: ${target.nspid.join(' / ')}`);
  } finally {
    await b.close();
  }
}

async function caseExpand() {
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    const states = () => page.$$eval('details.ns', (nodes) => nodes.map((n) => n.open));
    await page.click('#collapse-all');
    if ((await states()).some((open) => open)) {
      fail('collapse all left a namespace open');
    }
    const rows = await page.$$eval(ROW, (trs) => trs.filter((tr) => tr.checkVisibility()).length);
    if (rows) {
      fail(`${rows} rows are still shown with every namespace collapsed`);
    }
    await page.click('#expand-all');
    if (!(await states()).every((open) => open)) {
      fail('expand all left a namespace closed');
    }
    checkTrouble(trouble);
  } finally {
    await b.close();
  }
}

async function caseNoJs() {
  const { truth, processes } = stableTruth();
  const b = await launch({ javaScript: false });
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    const tree = await readTree(page);
    const ids = new Set(tree.filter((n) => n.visible).map((n) => n.id));
    for (const ns of truth.namespaces) {
      if (!ids.has(`pid:[${ns.inode}]`)) {
        fail(`without JavaScript, namespace pid:[${ns.inode}] is not shown`);
      }
    }
    const rows = tree.flatMap((n) => n.rows.filter((r) => r.visible).map((r) => `${n.id} ${r.pids.join('/')}`));
    const shown = new Set(rows);
    for (const p of processes) {
      if (!shown.has(`pid:[${p.pidns}] ${p.nspid.join('/')}`)) {
        fail(`without JavaScript, process ${p.comm} ${p.nspid.join(' / ')} is not shown`);
      }
    }
    if (await page.isVisible('#toolbar')) {
      fail('without JavaScript the search toolbar is shown, but it cannot work');
    }
    for (const section of ['#views', '#legend', '#diagnostics', '#doctor']) {
      if (!(await page.isVisible(section))) {
        fail(`without JavaScript the ${section} section is not shown`);
      }
    }
    checkTrouble(trouble);
    console.log(`without JavaScript: ${ids.size} namespaces and ${rows.length} rows shown`);
  } finally {
    await b.close();
  }
}

// ---- hostile names ----

const PAYLOADS = [
  '</script><script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"\'><svg onload=alert(3)>',
  '</script><!--<script>window.__pwned=4</script>',
  '&lt;b&gt;not bold&amp;',
  '\u2028\u2029</ScRiPt ><iframe src=javascript:alert(5)>',
  'rtl \u202Egnp.exe',
  '<style>body{display:none}</style>',
  '<a href="javascript:alert(6)">x</a>',
];

function hostileDocuments(outDir) {
  const data = process.env.WSLNS_HOST_DATA;
  const vm = JSON.parse(readFileSync(join(data, 'lab', 'vm.json'), 'utf8'));
  const distro = JSON.parse(readFileSync(join(data, 'lab', 'Ubuntu.json'), 'utf8'));
  const ubuntu = distro.self.pidns;
  vm.processes.forEach((p, i) => {
    const payload = PAYLOADS[i % PAYLOADS.length];
    const own = p.nspid[p.nspid.length - 1];
    // A namespace's pid 1 keeps its name (the merge labels namespaces by it), except
    // Ubuntu's, whose cut "init(<payload" the merge completes from the hostile distro name.
    if (p.pidns === ubuntu && own === 1) {
      p.comm = `init(${PAYLOADS[0]}`.slice(0, 15);
    } else if (own !== 1) {
      p.comm = payload.slice(0, 15);
    }
    p.cmdline = [payload, `--name=${payload}`, ''];
  });
  // Invalid UTF-8: the probe gives the text with U+FFFD and the exact bytes in hex.
  // (Not the probe's own process, the document's self: wslns leaves that out.)
  const odd = vm.processes.filter((p) => p.pid !== vm.self.pid).pop();
  odd.comm = '\uFFFD\uFFFD<b>';
  odd.comm_hex = Buffer.from([0xff, 0xfe, ...Buffer.from('<b>')]).toString('hex');
  distro.context.distro = PAYLOADS[0];
  distro.context.os_release.PRETTY_NAME = PAYLOADS[1];
  vm.kernel.release = distro.kernel.release = PAYLOADS[2];
  const names = [join(outDir, 'vm.json'), join(outDir, `${PAYLOADS[1]}.json`)];
  writeFileSync(names[0], JSON.stringify(vm));
  writeFileSync(names[1], JSON.stringify(distro));
  return { names, vm };
}

async function caseHostile() {
  const outDir = join(dir, 'hostile');
  mkdirSync(outDir, { recursive: true });
  const { names, vm } = hostileDocuments(outDir);
  const html = join(outDir, 'hostile.html');
  const json = join(outDir, 'hostile.json');
  execFileSync(join(process.env.WSLNS_BIN, 'wslns'),
               ['--color', 'never', '--html', html, '--json', json, ...names.flatMap((n) => ['--from', n])],
               { stdio: 'ignore' });
  const report = JSON.parse(readFileSync(json, 'utf8'));
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, html);
    // The script reads the processes back from the rows: a search for each payload (and
    // for the comm with invalid UTF-8) finds exactly the processes of the --json report
    // whose comm or command line holds it, as a search over the exact text would.
    for (const q of [...PAYLOADS, '\uFFFD\uFFFD<b>']) {
      const want = q.trim().toLowerCase();
      const expected = report.processes.filter((p) => `${p.comm}\n${p.cmdline.join(' ')}`.toLowerCase().includes(want)).length;
      await searchFor(page, q);
      const status = await page.textContent('#search-status');
      if (!expected || status !== `${expected} of ${report.processes.length} processes match`) {
        fail(`searching ${JSON.stringify(q)}: "${status}", expected ${expected} of ${report.processes.length}: the rows do not give it back exactly`);
      }
    }
    await searchFor(page, '');
    await page.click(`${ROW} > ${PID}`); // the click handler must not trip over hostile rows either
    // The selection line shows a name as the page does: a bidi override escaped, not obeyed.
    const rtl = page.locator(ROW, { has: page.locator(COMM, { hasText: '\\u{202e}' }) }).first();
    await rtl.locator(PID).first().click();
    const picked = await page.textContent('#selection');
    if (!picked.includes('rtl \\u{202e}gnp.exe') || /[\u202E\u2028\u2029]/.test(picked)) {
      fail(`the selection line shows a bidi override raw: ${JSON.stringify(picked)}`);
    }
    await searchFor(page, 'alert');
    const dom = await page.evaluate(({ ROW, COMM, CMD }) => ({
      pwned: window.__pwned,
      elements: Array.from(document.querySelectorAll('img, svg:not(#picture svg.pic), iframe, object, embed, a[href^="javascript"], body style'),
                           (e) => e.outerHTML.slice(0, 80)),
      scripts: document.scripts.length,
      handlers: Array.from(document.querySelectorAll('*')).flatMap((e) =>
        Array.from(e.attributes).filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`)),
      bodyShown: getComputedStyle(document.body).display !== 'none',
      comms: Array.from(document.querySelectorAll(`${ROW} > ${COMM}`), (td) => td.textContent),
      cmds: Array.from(document.querySelectorAll(`${ROW} > ${CMD}`), (td) => td.textContent),
      labels: Array.from(document.querySelectorAll('summary .label'), (s) => s.textContent),
      pictures: document.querySelectorAll('svg.pic').length,
      pictureTags: [...new Set(Array.from(document.querySelectorAll('svg.pic *'), (e) => e.tagName))],
      pictureHrefs: Array.from(document.querySelectorAll('svg.pic a'), (a) => a.getAttribute('href')),
      pictureLabels: Array.from(document.querySelectorAll('svg.pic text.label'), (t) => t.textContent),
      views: document.getElementById('views').textContent,
      kernel: document.querySelector('dl.facts').textContent,
    }), { ROW, COMM, CMD });
    checkTrouble(trouble);
    if (dom.pwned !== undefined) {
      fail(`injected script ran: window.__pwned = ${dom.pwned}`);
    }
    for (const e of dom.elements) {
      fail(`an injected element exists: ${e}`);
    }
    for (const h of dom.handlers) {
      fail(`an injected event handler exists: ${h}`);
    }
    if (dom.scripts !== 2) {
      fail(`${dom.scripts} script elements, expected 2 (the embedded report and the page's script)`);
    }
    if (!dom.bodyShown) {
      fail('an injected style sheet hid the page');
    }
    // The probe's own process (the document's self) is wslns's, left out of the page.
    const shownProcesses = vm.processes.filter((p) => p.pid !== vm.self.pid && !p.comm_hex);
    const shown = (s) => s.replace(/\u202E/g, '\\u{202e}').replace(/[\u2028\u2029]/g,
      (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
    for (const p of shownProcesses) {
      if (!dom.comms.includes(shown(p.comm))) {
        fail(`comm ${JSON.stringify(p.comm)} is not shown as text`);
      }
      // escape.h's rule: quoted when empty or holding a blank or quote, \" inside quotes.
      const cmd = p.cmdline.map((a) => (a === '' || /[ "']/.test(a)
        ? `"${shown(a.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"` : shown(a.replace(/\\/g, '\\\\')))).join(' ');
      if (!dom.cmds.includes(cmd)) {
        fail(`cmdline ${JSON.stringify(p.cmdline)} is not shown as text`);
      }
    }
    if (!dom.comms.includes('\\xff\\xfe<b>')) {
      fail(`the comm with invalid UTF-8 is not shown as \\xff\\xfe<b> (comms: ${JSON.stringify(dom.comms.slice(-3))})`);
    }
    if (!dom.labels.some((l) => l.startsWith('distro </script><'))) {
      fail(`the hostile distro name is not shown as text (labels: ${JSON.stringify(dom.labels)})`);
    }
    // The picture: the page's one SVG, made only of boxes, links within the page and text.
    if (dom.pictures !== 1) {
      fail(`${dom.pictures} pictures (svg.pic) in the page, expected 1`);
    }
    for (const tag of dom.pictureTags) {
      if (!PICTURE_TAGS.has(tag)) {
        fail(`the picture holds a <${tag}> element: a hostile label made markup`);
      }
    }
    for (const href of dom.pictureHrefs) {
      if (!/^#ns-[0-9a-z-]+$/.test(href)) {
        fail(`a box of the picture links to ${JSON.stringify(href)}, not to a section of the page`);
      }
    }
    if (!dom.pictureLabels.some((l) => l.startsWith('distro </script><'))) {
      fail(`the hostile distro name is not a box label as text (labels: ${JSON.stringify(dom.pictureLabels)})`);
    }
    if (!dom.views.includes(PAYLOADS[1]) || !dom.kernel.includes(PAYLOADS[2])) {
      fail('the hostile file name, OS name or kernel release is not shown as text');
    }
    console.log(`${PAYLOADS.length} hostile payloads in ${vm.processes.length} processes, a distro name, an OS name, a kernel release and a file name: shown as text, nothing ran`);
  } finally {
    await b.close();
  }
}

// Without the VM root's view (no debug shell), the distros hang below a placeholder.
async function casePlaceholder() {
  mkdirSync(dir, { recursive: true });
  const lab = join(process.env.WSLNS_HOST_DATA, 'lab');
  const html = join(dir, 'no-vm.html');
  const views = ['system-Ubuntu', 'Ubuntu', 'NoGui'];
  execFileSync(join(process.env.WSLNS_BIN, 'wslns'),
               ['--color', 'never', '--html', html, ...views.flatMap((v) => ['--from', join(lab, `${v}.json`)])],
               { stdio: 'ignore' });
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, html);
    const found = await page.evaluate(() => {
      const box = document.querySelector('#tree > details.ns.placeholder');
      if (!box) {
        return null;
      }
      const style = getComputedStyle(box);
      return {
        kind: box.querySelector(':scope > summary .kind').textContent,
        label: box.querySelector(':scope > summary .label').textContent,
        dashed: style.borderLeftStyle,
        children: Array.from(box.querySelectorAll(':scope > details.ns'), (d) => d.dataset.ns),
        headings: Array.from(box.querySelectorAll('details.ns table.procs thead'),
                             (t) => t.querySelector('th').textContent),
        firstCells: Array.from(box.querySelectorAll('table.procs > tbody > tr > td:first-child'), (td) => td.textContent),
      };
    });
    if (!found) {
      fail('no placeholder namespace at the top of the tree');
    } else {
      if (found.kind !== 'not visible' || !found.label.includes('not visible') ||
          !found.label.includes('--debug-shell')) {
        fail(`the placeholder reads "${found.kind} ${found.label}", not "not visible" with the reason`);
      }
      if (found.dashed !== 'dashed') {
        fail(`the placeholder's border is ${found.dashed}, not dashed`);
      }
      if (found.children.length !== 2) {
        fail(`below the placeholder: ${found.children.join(', ')}; expected the system distro and NoGui`);
      }
      if (!found.headings.length || found.headings.some((h) => h !== 'not visible')) {
        fail(`the first pid column is headed ${JSON.stringify(found.headings)}, expected "not visible"`);
      }
      if (!found.firstCells.length || found.firstCells.some((c) => c !== '?')) {
        fail(`the unseen level shows ${JSON.stringify(found.firstCells.slice(0, 5))}, expected ?`);
      }
    }
    checkTrouble(trouble);
    console.log(`placeholder with ${found ? found.children.length : 0} namespaces below it`);
  } finally {
    await b.close();
  }
}

// ---- the picture ----

const PICTURE_TAGS = new Set(['g', 'a', 'rect', 'text', 'tspan', 'title']);

// The picture read back: every box with its enclosing box, link, rectangle, the boxes of its
// texts as Chromium laid them out (getBBox), and its colour.
async function readPicture(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('#picture svg.pic');
    if (!svg) {
      return null;
    }
    const boxes = Array.from(svg.querySelectorAll('g.box'), (g) => {
      const parent = g.parentElement.closest('g.box');
      const a = g.querySelector(':scope > a');
      const rect = a.querySelector(':scope > rect');
      const texts = Array.from(a.querySelectorAll('text'), (t) => { // label, count, badges
        const b = t.getBBox();
        return { text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
      });
      return {
        ns: g.dataset.ns,
        parent: parent ? parent.dataset.ns : null,
        href: a.getAttribute('href'),
        rect: { x: rect.x.baseVal.value, y: rect.y.baseVal.value, w: rect.width.baseVal.value, h: rect.height.baseVal.value },
        texts,
        label: texts.length ? texts[0].text : '',
        badges: Array.from(a.querySelectorAll('text.types > tspan'), (t) => ({
          type: t.textContent.replace(/\?$/, ''), cls: t.getAttribute('class') })),
        stroke: getComputedStyle(rect).stroke,
        fontSize: parseFloat(getComputedStyle(a.querySelector('text.label')).fontSize),
      };
    });
    return {
      boxes,
      visible: svg.checkVisibility(),
      shownWidth: svg.getBoundingClientRect().width,
      width: svg.width.baseVal.value,
      tags: [...new Set(Array.from(svg.querySelectorAll('*'), (e) => e.tagName))],
    };
  });
}

const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5;
const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

// Readable: every text inside its own box, every box inside its parent and clear of the
// parent's texts, no two boxes of one parent overlapping, text no smaller than 12px, the
// picture at its own size.
function checkGeometry(pic, what) {
  const byNs = new Map(pic.boxes.map((b) => [b.ns, b]));
  for (const b of pic.boxes) {
    for (const t of b.texts) {
      if (!inside(t, b.rect)) {
        fail(`${what}: the text "${t.text}" (${JSON.stringify(t)}) sticks out of the box of ${b.ns} (${JSON.stringify(b.rect)})`);
      }
    }
    if (b.fontSize < 12) {
      fail(`${what}: the label of ${b.ns} is ${b.fontSize}px`);
    }
    const parent = b.parent && byNs.get(b.parent);
    if (parent) {
      if (!inside(b.rect, parent.rect)) {
        fail(`${what}: the box of ${b.ns} is not inside the box of ${b.parent}`);
      }
      for (const t of parent.texts) {
        if (overlap(b.rect, t)) {
          fail(`${what}: the box of ${b.ns} covers "${t.text}" of its parent`);
        }
      }
    }
  }
  for (let i = 0; i < pic.boxes.length; i++) {
    for (let k = i + 1; k < pic.boxes.length; k++) {
      const a = pic.boxes[i];
      const b = pic.boxes[k];
      if (a.parent === b.parent && overlap(a.rect, b.rect)) {
        fail(`${what}: the boxes of ${a.ns} and ${b.ns} overlap`);
      }
    }
  }
  if (Math.abs(pic.shownWidth - pic.width) > 1) {
    fail(`${what}: the picture is shown ${pic.shownWidth}px wide, drawn for ${pic.width}px (scaled)`);
  }
  for (const tag of pic.tags) {
    if (!PICTURE_TAGS.has(tag)) {
      fail(`${what}: the picture holds a <${tag}> element`);
    }
  }
}

async function casePicture() {
  const { truth } = stableTruth();
  const b = await launch({ javaScript: false });
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    const pic = await readPicture(page);
    if (!pic || !pic.visible) {
      fail('without JavaScript there is no picture at the top of the page');
      return;
    }
    const boxes = new Map(pic.boxes.map((x) => [x.ns, x]));
    if (pic.boxes.length !== truth.namespaces.length) {
      fail(`${pic.boxes.length} boxes in the picture, the truth has ${truth.namespaces.length} namespaces`);
    }
    const sections = await page.evaluate(() => Object.fromEntries(Array.from(
      document.querySelectorAll('#tree details.ns'), (d) => [d.dataset.ns, {
        label: d.querySelector(':scope > summary .label').textContent,
        colour: getComputedStyle(d).borderLeftColor,
      }])));
    for (const ns of truth.namespaces) {
      const id = `pid:[${ns.inode}]`;
      const box = boxes.get(id);
      const parent = ns.parent === null ? null : `pid:[${ns.parent}]`;
      if (!box) {
        fail(`namespace ${id} has no box in the picture`);
        continue;
      }
      if (box.parent !== parent) {
        fail(`the box of ${id} is drawn inside ${box.parent}, the truth says ${parent}`);
      }
      const section = sections[id];
      if (!section || !(box.label === section.label ||
                        (box.label.endsWith('\u2026') && section.label.startsWith(box.label.slice(0, -1))))) {
        fail(`the box of ${id} reads "${box.label}", its section "${section && section.label}"`);
      }
      // The badges say what the kernel says: own when the level's namespace of that type is
      // not its parent's (or it is the top), shared when it is.
      if (ns.types) {
        const up = truth.namespaces.find((n) => n.inode === ns.parent);
        const want = Object.entries(ns.types).map(([type, inode]) => `${type} t-${
          !inode || (up && !(up.types || {})[type]) ? 'unknown' : !up || up.types[type] !== inode ? 'own' : 'shared'}`);
        const got = box.badges.map((x) => `${x.type} ${x.cls}`);
        if (got.join() !== want.join()) {
          fail(`the badges of ${id} read [${got.join(', ')}], the kernel says [${want.join(', ')}]`);
        }
      }
      if (section && box.stroke !== section.colour) {
        fail(`the box of ${id} is drawn in ${box.stroke}, its section in the tree in ${section.colour}`);
      }
    }
    checkGeometry(pic, 'lab');
    // Clicking a box (its label: the rest of a box with children is covered by them) goes
    // to its namespace's section, without JavaScript.
    for (const box of pic.boxes) {
      await page.locator(`svg.pic g.box[data-ns="${box.ns}"] > a > text.label`).click();
      await page.waitForFunction((h) => window.location.hash === h, box.href, { timeout: 60000 });
      const at = await page.evaluate((h) => {
        const el = document.getElementById(h.slice(1));
        return el && { ns: el.dataset.ns, top: el.getBoundingClientRect().top, height: window.innerHeight };
      }, box.href);
      if (!at || at.ns !== box.ns) {
        fail(`clicking the box of ${box.ns} goes to ${box.href}, which is ${at ? at.ns : 'no element'}`);
      } else if (at.top < -1 || at.top > at.height - 20) {
        fail(`clicking the box of ${box.ns} leaves its section at ${at.top}px, off the screen`);
      }
    }
    checkTrouble(trouble);
    console.log(`without JavaScript: ${pic.boxes.length} boxes, nested as the truth, each click landed on its section`);
  } finally {
    await b.close();
  }
}

async function casePicture50() {
  mkdirSync(dir, { recursive: true });
  const doc = join(dir, 'synthetic50.json');
  const html = join(dir, 'picture50.html');
  execFileSync(process.env.WSLNS_PYTHON || 'python3',
               [fileURLToPath(new URL('synthetic.py', import.meta.url)), '600', doc, '14'], { stdio: 'inherit' });
  execFileSync(join(process.env.WSLNS_BIN, 'wslns'), ['--color', 'never', '--html', html, '--from', doc],
               { stdio: 'ignore' });
  const b = await launch();
  try {
    const { page, trouble } = await openReport(b, html);
    const pic = await readPicture(page);
    if (!pic) {
      fail('no picture in the 50-namespace report');
      return;
    }
    if (pic.boxes.length !== 50) {
      fail(`${pic.boxes.length} boxes, expected 50`);
    }
    checkGeometry(pic, '50 namespaces');
    checkTrouble(trouble);
    console.log(`50 namespaces: ${pic.boxes.length} boxes in ${pic.width}px, nothing overlaps, every text inside its box`);
  } finally {
    await b.close();
  }
}

// A fresh load of a page whose rows are still being built: the rows built, the total, and
// whether the script says every row is there. A load that a busy machine made so slow that
// the background build already finished is tried again: the case needs unbuilt rows.
async function openUnbuilt(b, html) {
  for (let attempt = 1; ; attempt++) {
    const { page, trouble } = await openReport(b, html, { rows: false });
    const state = await page.evaluate((ROW) => ({
      rows: document.querySelectorAll(ROW).length, flag: document.getElementById('tree').dataset.rows,
      total: Array.from(document.querySelectorAll('div.rows'), (d) => Number(d.dataset.n)).reduce((a, n) => a + n, 0) }), ROW);
    if (state.flag === 'partial' && state.rows < state.total) {
      return { page, trouble, state };
    }
    await page.close();
    if (attempt === 3) {
      throw new Error(`three loads had every row built before the first look (${JSON.stringify(state)})`);
    }
  }
}

async function caseFind() {
  mkdirSync(dir, { recursive: true });
  const doc = join(dir, 'synthetic-find.json');
  const html = join(dir, 'find.html');
  const json = join(dir, 'find.json');
  execFileSync(process.env.WSLNS_PYTHON || 'python3',
               [fileURLToPath(new URL('synthetic.py', import.meta.url)), '3000', doc], { stdio: 'inherit' });
  execFileSync(join(process.env.WSLNS_BIN, 'wslns'), ['--color', 'never', '--html', html, '--json', json, '--from', doc],
               { stdio: 'ignore' });
  const report = JSON.parse(readFileSync(json, 'utf8'));
  const b = await launch({ viewport: { width: 1280, height: 600 } });
  try {
    const every = async (page, how) => {
      const state = await page.evaluate(({ ROW, COMM }) => ({
        flag: document.getElementById('tree').dataset.rows,
        comms: Array.from(document.querySelectorAll(`${ROW} > ${COMM}`), (td) => td.textContent) }), { ROW, COMM });
      const want = report.processes.map((p) => p.comm);
      if (state.flag !== 'built' || state.comms.length !== want.length) {
        fail(`after ${how}: ${state.comms.length} of ${want.length} rows built, #tree[data-rows] ${state.flag}`);
      } else if (state.comms.some((c, i) => c !== want[i])) {
        const i = state.comms.findIndex((c, k) => c !== want[k]);
        fail(`after ${how}: row ${i} shows ${JSON.stringify(state.comms[i])}, processes[${i}] is ${JSON.stringify(want[i])}`);
      }
    };
    for (const [keys, how] of [['Control+f', 'Ctrl+F'], ['F3', 'F3']]) {
      const { page, trouble, state } = await openUnbuilt(b, html);
      await page.keyboard.press(keys);
      await every(page, `${how} (${state.rows} of ${state.total} rows built before)`);
      checkTrouble(trouble);
      await page.close();
    }
    const { page, trouble, state } = await openUnbuilt(b, html);
    await page.pdf({ path: join(dir, 'find.pdf') });
    await every(page, `printing (${state.rows} of ${state.total} rows built before)`);
    checkTrouble(trouble);
    console.log(`the browser's find and printing see all ${report.processes.length} rows (${state.rows} built at the open)`);
  } finally {
    await b.close();
  }
}

async function caseScreenshot() {
  const { processes } = stableTruth();
  const target = processes.find((p) => p.comm === 'nginx' && p.nspid.length === 4) || processes[0];
  const b = await launch({ viewport: { width: 1200, height: 1400 } });
  try {
    const { page, trouble } = await openReport(b, join(dir, 'lab.html'));
    // Room for the deepest branch: the first distro's branch folded.
    await page.locator('details.ns.k-system > summary').first().click();
    await (await rowOf(page, target)).locator(PID).first().click();
    // The picture at the top, the tree (with the toolbar) right below it: for this one image
    // the views table and the legend between them are left out.
    await page.evaluate(() => {
      for (const id of ['views', 'legend']) {
        document.getElementById(id).style.display = 'none';
      }
      window.scrollTo(0, document.getElementById('picture').offsetTop - 8);
    });
    await page.mouse.move(0, 0); // no hover underline in the picture
    const png = join(dir, 'report-screenshot.png');
    await page.screenshot({ path: png });
    if (statSync(png).size < 10000) {
      fail(`the screenshot ${png} is suspiciously small`);
    }
    if (process.env.WSLNS_SCREENSHOT_TO) {
      copyFileSync(png, process.env.WSLNS_SCREENSHOT_TO);
    }
    checkTrouble(trouble);
    console.log(`screenshot: ${png}`);
  } finally {
    await b.close();
  }
}

const CASES = { truth: caseTruth, search: caseSearch, highlight: caseHighlight, expand: caseExpand,
                nojs: caseNoJs, hostile: caseHostile, placeholder: casePlaceholder, picture: casePicture,
                picture50: casePicture50, find: caseFind, screenshot: caseScreenshot };
if (!CASES[caseName] || !dir) {
  console.error(`usage: check.mjs ${Object.keys(CASES).join('|')} DIR`);
  process.exit(2);
}
try {
  await CASES[caseName]();
} catch (e) {
  fail(`${e.stack || e}`);
}
for (const p of problems) {
  console.error(`FAIL: ${p}`);
}
console.log(problems.length ? `${caseName}: ${problems.length} problem(s)` : `ok: ${caseName}`);
process.exit(problems.length ? 1 : 0);
