/* report.js - the interaction of the wslns HTML report, inlined into every report (allowed
 * by its hash in the page's Content-Security-Policy). The page is complete without it; this
 * only adds: a search over every process (a pid at any level, comm or command line), pid
 * highlighting across a process's levels, and expand/collapse all.
 *
 * Data comes from the rows themselves (the embedded report keeps only what they do not
 * show). Untrusted text only ever goes into the page through textContent, or as the rows'
 * own markup, which the C side escaped. */
(function () {
  'use strict';
  const byId = (id) => document.getElementById(id);
  const tree = byId('tree');
  const toolbar = byId('toolbar');
  const search = byId('search');
  const status = byId('search-status');
  const selection = byId('selection');
  if (!tree || !toolbar || !search) {
    return;
  }

  const nodes = Array.from(tree.querySelectorAll('details.ns'));
  const parentNode = new Map();
  for (const node of nodes) {
    parentNode.set(node, node.parentElement.closest('details.ns'));
  }

  /* Each namespace's rows come as the text of a <noscript> in its div.rows: the markup the
   * page shows without JavaScript, escaped by the C side, one row a line. A section's rows
   * are built from it when it comes near the screen, and those a search finds at once; all
   * at once when the reader opens the browser's find (Ctrl+F, Cmd+F, F3) or prints; the
   * others 100 rows at a time while the browser is idle, from a second after the page
   * opened (the first second is the reader's: nothing competes with opening and
   * scrolling). #tree[data-rows] says "built" when every row is there. The markup is
   * parsed as it is, never assembled from data. */
  const blocks = Array.from(tree.querySelectorAll('div.rows'));
  /* Rows are numbered in page order (the embedded report's "processes" order): a section's
   * first row is the count of the rows before it. */
  const first = new Map(); // div.rows -> the number of its first row
  const total = blocks.reduce((n, div) => {
    first.set(div, n);
    return n + Number(div.dataset.n || 0);
  }, 0);
  const source = new Map(); // div.rows -> its rows' markup (kept for the search index)
  function markup(div) {
    if (!source.has(div)) {
      const raw = div.querySelector(':scope > noscript');
      source.set(div, raw ? raw.textContent : '');
    }
    return source.get(div);
  }
  let unbuilt = blocks.length;
  const parser = document.createElement('template');
  const started = new Map(); // div.rows -> what is left to build of it
  const rowOf = new Array(total).fill(null); // row number (0 .. total-1) -> its built tr
  const near = 'IntersectionObserver' in window
    ? new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) {
          build(e.target);
        }
      }
    }, { rootMargin: '600px 0px' })
    : null;
  /* The <tbody> part of a section's markup, and what comes before and after it. */
  function parts(text) {
    const body = text.indexOf('<tbody>') + '<tbody>'.length;
    const end = text.lastIndexOf('</tbody>');
    return body < '<tbody>'.length || end < body ? null : [body, end];
  }
  /* Puts the table with its head (and no rows yet) in place of the <noscript>. */
  function begin(div) {
    const raw = div.querySelector(':scope > noscript');
    const text = markup(div);
    const cut = parts(text);
    const job = { div: div, tbody: null, rows: [], next: 0 };
    if (cut) {
      parser.innerHTML = text.slice(0, cut[0]) + text.slice(cut[1]);
      job.rows = text.slice(cut[0], cut[1]).split('\n').filter((row) => row);
    } else {
      parser.innerHTML = text;
    }
    if (raw) {
      raw.replaceWith(parser.content);
    }
    job.tbody = div.querySelector('tbody');
    started.set(div, job);
    return job;
  }
  /* Adds up to n more rows of a started section (all when n is Infinity); rows a search
   * already ruled out arrive hidden. */
  function more(job, n) {
    const rows = job.rows.slice(job.next, job.next + n);
    job.next += rows.length;
    if (rows.length && job.tbody) {
      const had = job.tbody.rows.length;
      job.tbody.insertAdjacentHTML('beforeend', rows.join('\n'));
      const trs = job.tbody.rows;
      const base = first.get(job.div);
      for (let k = had; k < trs.length; k++) {
        const p = base + k;
        rowOf[p] = trs[k];
        if (hits && !hits[p]) {
          trs[k].classList.add('nomatch');
        }
      }
    }
    if (job.next >= job.rows.length) {
      started.delete(job.div);
      if (indexed.has(job.div)) {
        source.delete(job.div); // built and indexed: its markup is not needed any more
      }
      job.div.classList.add('built');
      if (near) {
        near.unobserve(job.div);
      }
      if (--unbuilt === 0) {
        tree.dataset.rows = 'built';
      }
    }
  }
  function build(div) {
    if (!div.classList.contains('built')) {
      more(started.get(div) || begin(div), Infinity);
    }
  }
  /* Before the browser's own find or a print, which only see rows that exist. */
  function buildAll() {
    for (const div of blocks) {
      build(div);
    }
  }
  document.addEventListener('keydown', (ev) => {
    const find = ev.key === 'F3' || ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === 'f' || ev.key === 'F'));
    if (find && unbuilt) {
      buildAll();
    }
  });
  window.addEventListener('beforeprint', buildAll);
  let next = 0;
  /* A few milliseconds at a time (at least one step, even when the browser is never idle
   * and the callback comes by its timeout), so a click or a key never waits long behind it. */
  function buildWhileIdle(deadline) {
    const room = deadline && deadline.timeRemaining ? deadline.timeRemaining() : 8;
    const until = performance.now() + Math.max(1, Math.min(8, room));
    while (next < blocks.length && performance.now() < until) {
      const div = blocks[next];
      if (div.classList.contains('built')) {
        next++;
        continue;
      }
      more(started.get(div) || begin(div), 100);
    }
    while (next >= blocks.length && indexed.size < blocks.length && performance.now() < until) {
      indexBlock(blocks[indexed.size]);
    }
    if (next < blocks.length || indexed.size < blocks.length) {
      later(buildWhileIdle);
    } else if (!index) {
      buildIndex();
    }
  }
  const later = window.requestIdleCallback
    ? (f) => window.requestIdleCallback(f, { timeout: 200 })
    : (f) => setTimeout(f, 0);

  /* What a cell shows, back as the text it stands for: entities decoded, and the escapes
   * the C side marked (span.raw: \xNN, \n, \t, \e, \u{XXXX}) made their characters again
   * (a byte that is not UTF-8 becomes U+FFFD, as in the report's JSON). None of those
   * characters is a quote, a backslash or a blank, so the quoting below stays readable. */
  const ENTITY = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  function unescape(form) {
    if (form[1] === 'x') {
      const byte = parseInt(form.slice(2), 16);
      return byte < 0x80 ? String.fromCharCode(byte) : '\uFFFD';
    }
    if (form[1] === 'u') {
      return String.fromCodePoint(parseInt(form.slice(3, -1), 16));
    }
    return { '\\n': '\n', '\\t': '\t', '\\e': '\x1b' }[form] || form;
  }
  function cellText(html) {
    if (html.indexOf('<') < 0 && html.indexOf('&') < 0) {
      return html;
    }
    return html.replace(/<span class="raw" title="[^"]*">([^<]*)<\/span>|&(amp|lt|gt|quot|#39);/g,
                        (m, form, entity) => (form !== undefined ? unescape(form) : ENTITY[entity]));
  }
  /* The command line's arguments, undoing escape.h's quoting: an argument that is empty or
   * holds a blank or a quote is in "..." with \" inside, a backslash of an argument is
   * shown doubled, and arguments are joined by one blank. */
  function cellArgs(html) {
    const text = cellText(html);
    if (!text) {
      return [];
    }
    if (text.indexOf('"') < 0 && text.indexOf('\\') < 0) {
      return text.split(' '); // nothing quoted: no argument is empty or holds a blank
    }
    const args = [];
    let arg = null;
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (arg === null) {
        if (c === ' ') {
          continue;
        }
        arg = '';
        quoted = c === '"';
        if (quoted) {
          continue;
        }
      }
      if (c === '\\' && i + 1 < text.length) {
        arg += text[++i];
      } else if (quoted ? c === '"' : c === ' ') {
        args.push(arg);
        arg = null;
      } else {
        arg += c;
      }
    }
    if (arg !== null) {
      args.push(arg);
    }
    return args;
  }

  /* The search index: one entry per row, read from the rows' markup (built or not),
   * section by section while the browser is idle after the rows, or on the first search
   * for what is left; opening the page costs nothing extra; #tree[data-index] says "ready"
   * when it is complete. A row is a line "<tr>", a td per level, then ppid, comm, cmdline
   * and uid (render_html.c); only lower case is searched, so a section's markup is lowered
   * once (the escapes and entities read the same). */
  const indexed = new Map(); // div.rows -> its entries
  function indexBlock(div) {
    const text = markup(div);
    const cut = parts(text);
    const node = div.closest('details.ns');
    const entries = [];
    const body = cut ? text.slice(cut[0], cut[1]).toLowerCase() : '';
    const content = (c) => c.slice(c.indexOf('>') + 1);
    let p = first.get(div);
    for (const line of body.split('\n')) {
      if (!line.startsWith('<tr>')) {
        continue;
      }
      const cells = line.split('<td');
      const levels = cells.length - 5;
      const name = cellText(content(cells[levels + 2] || ''));
      const args = cellArgs(content(cells[levels + 3] || ''));
      const pids = [];
      for (let j = 1; j <= levels; j++) {
        const pid = content(cells[j]);
        if (pid !== '?') {
          pids.push(pid);
        }
      }
      args.unshift(name);
      entries.push({
        p: p++,
        pids: pids,
        words: args,
        text: name + '\n' + args.slice(1).join(' '),
        node: node,
        div: div,
      });
    }
    indexed.set(div, entries);
  }
  let index = null;
  let hits = null; // row number -> whether the current search shows it; null: no search
  function buildIndex() {
    for (const div of blocks) {
      if (!indexed.has(div)) {
        indexBlock(div);
      }
    }
    index = [].concat(...blocks.map((div) => indexed.get(div)));
    for (const div of blocks) {
      if (div.classList.contains('built')) {
        source.delete(div);
      }
    }
    tree.dataset.index = 'ready';
  }

  /* A number is a pid at any level (or a whole argument, as in "sleep 680001"); anything
   * else is a piece of the comm or the command line, case-insensitively. */
  function matcher(query) {
    if (/^\d+$/.test(query)) {
      const pid = String(Number(query));
      return (e) => e.pids.includes(pid) || e.words.includes(query);
    }
    return (e) => e.text.includes(query);
  }

  function applySearch() {
    const query = search.value.trim().toLowerCase();
    if (!index) {
      buildIndex();
    }
    const matches = query ? matcher(query) : null;
    const own = new Set();
    const branch = new Set();
    const found = new Set();
    let shown = 0;
    hits = matches ? new Uint8Array(total) : null;
    for (const e of index) {
      const hit = !matches || matches(e);
      if (hits) {
        hits[e.p] = hit ? 1 : 0;
      }
      if (!hit) {
        continue;
      }
      shown++;
      if (matches) {
        found.add(e.div);
        own.add(e.node);
        for (let n = e.node; n && !branch.has(n); n = parentNode.get(n)) {
          branch.add(n);
        }
      }
    }
    // The sections with a match show their rows now; the others' rows arrive filtered.
    for (const div of found) {
      build(div);
    }
    for (let p = 0; p < rowOf.length; p++) {
      const tr = rowOf[p];
      const hide = hits !== null && !hits[p];
      if (tr && tr.classList.contains('nomatch') !== hide) {
        tr.classList.toggle('nomatch', hide);
      }
    }
    for (const node of nodes) {
      const table = node.querySelector(':scope > div.rows');
      node.classList.toggle('nomatch', Boolean(matches) && !branch.has(node));
      if (table) {
        table.classList.toggle('nomatch', Boolean(matches) && !own.has(node));
      }
      if (matches && branch.has(node)) {
        node.open = true;
      }
    }
    status.textContent = matches
      ? shown + ' of ' + index.length + ' processes match'
      : index.length + ' processes';
    tree.dataset.query = query;
    // The search goes into the address (#q=...), so a link to the file can carry it.
    const hash = query ? '#q=' + encodeURIComponent(search.value.trim()) : '';
    if (location.hash !== hash && history.replaceState) {
      history.replaceState(null, '', hash || location.pathname + location.search);
    }
  }

  let pending = 0;
  search.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(applySearch, 60);
  });
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      search.value = '';
      applySearch();
    } else if (ev.key === 'Enter') {
      clearTimeout(pending);
      applySearch();
    }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && document.activeElement !== search) {
      ev.preventDefault();
      search.focus();
    }
  });

  const HINT = 'Click a pid to see that process at every level.';
  /* A row's pid cells: all but its last four (ppid, comm, cmdline, uid). */
  const pidCells = (tr) => Array.from(tr.cells).slice(0, Math.max(0, tr.cells.length - 4));
  let selected = null;
  function select(tr) {
    for (const cell of tree.querySelectorAll('td.hl')) {
      cell.classList.remove('hl');
    }
    for (const row of tree.querySelectorAll('tr.sel')) {
      row.classList.remove('sel');
    }
    if (tr === selected) {
      selected = null;
      selection.textContent = HINT;
      return;
    }
    selected = tr;
    tr.classList.add('sel');
    const cells = pidCells(tr);
    for (const cell of cells) {
      cell.classList.add('hl');
    }
    /* Names come from the page's own cells and column titles ("label id"), which the C
     * side escaped (escape.h): a raw name could hold a bidi override or an invisible
     * character. */
    const heads = tr.closest('table').querySelectorAll('thead th.p');
    const comm = tr.cells[tr.cells.length - 3];
    const levels = [];
    cells.forEach((cell, j) => {
      const title = heads[j] ? heads[j].title : '';
      const cut = title.lastIndexOf(' ');
      if (cell.textContent !== '?') {
        levels.push(cell.textContent + ' in ' + (title.slice(0, cut) || title.slice(cut + 1)));
      }
    });
    selection.textContent = (comm ? comm.textContent : '') + ': ' + levels.join(' = ');
  }
  tree.addEventListener('click', (ev) => {
    const cell = ev.target.closest('table.procs > tbody > tr > td');
    const tr = cell ? cell.parentElement : null;
    if (tr && cell.cellIndex < tr.cells.length - 4) {
      select(tr);
    }
  });

  byId('expand-all').addEventListener('click', () => {
    for (const node of nodes) {
      node.open = true;
    }
  });
  byId('collapse-all').addEventListener('click', () => {
    for (const node of nodes) {
      node.open = false;
    }
  });

  document.documentElement.classList.add('js');
  status.textContent = total + ' processes';
  selection.textContent = HINT;
  toolbar.hidden = false;
  if (location.hash.startsWith('#q=')) {
    try {
      search.value = decodeURIComponent(location.hash.slice(3));
    } catch (e) {
      search.value = '';
    }
    applySearch();
  }
  if (unbuilt) {
    /* After the load event and the first frame: the page opens first, the rows on screen
     * follow, the rest a second later. */
    tree.dataset.rows = 'partial';
    const start = () => {
      for (const div of blocks) {
        if (near) {
          near.observe(div);
        }
      }
      setTimeout(() => later(buildWhileIdle), 1000);
    };
    const afterFrame = () => requestAnimationFrame(() => setTimeout(start, 0));
    if (document.readyState === 'complete') {
      afterFrame();
    } else {
      window.addEventListener('load', afterFrame, { once: true });
    }
  } else {
    tree.dataset.rows = 'built';
  }
  tree.dataset.ready = 'yes';
})();
