/* report.js - the interaction of the wslns HTML report, inlined into every report (allowed
 * by its hash in the page's Content-Security-Policy). The page is complete without it; this
 * only adds: a search over every process (a pid at any level, comm or command line), pid
 * highlighting across a process's levels, and expand/collapse all.
 *
 * Data comes from the embedded wslns-report/1 document: the row with data-p="i" is its
 * processes[i]. Untrusted text only ever goes into the page through textContent. */
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

  /* The embedded report (a few MB for 10,000 processes) is read on the first search or
   * click, not while the page opens. */
  let processes = null;
  const rows = [];
  function readReport() {
    if (processes) {
      return;
    }
    let report = {};
    try {
      report = JSON.parse(byId('wslns-report').textContent);
    } catch (e) {
      status.textContent = 'the embedded report could not be read: ' + e.message;
    }
    processes = Array.isArray(report.processes) ? report.processes : [];
    for (const tr of tree.querySelectorAll('tr[data-p]')) {
      rows[Number(tr.dataset.p)] = tr;
    }
  }

  const nodes = Array.from(tree.querySelectorAll('details.ns'));
  const parentNode = new Map();
  for (const node of nodes) {
    parentNode.set(node, node.parentElement.closest('details.ns'));
  }

  /* Built on the first search, so opening a large report costs nothing extra. */
  let index = null;
  function buildIndex() {
    readReport();
    index = processes.map((p, i) => {
      const args = Array.isArray(p.cmdline) ? p.cmdline.map(String) : [];
      const comm = String(p.comm === undefined ? '' : p.comm);
      const tr = rows[i];
      return {
        pids: (Array.isArray(p.pids) ? p.pids : []).map((level) => String(level.pid)),
        words: [comm.toLowerCase()].concat(args.map((a) => a.toLowerCase())),
        text: (comm + '\n' + args.join(' ')).toLowerCase(),
        tr: tr,
        node: tr ? tr.closest('details.ns') : null,
      };
    });
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
    let shown = 0;
    for (const e of index) {
      const hit = !matches || matches(e);
      if (e.tr && e.tr.classList.contains('nomatch') === hit) {
        e.tr.classList.toggle('nomatch', !hit);
      }
      if (!hit) {
        continue;
      }
      shown++;
      if (matches && e.node) {
        own.add(e.node);
        for (let n = e.node; n && !branch.has(n); n = parentNode.get(n)) {
          branch.add(n);
        }
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
  let selected = -1;
  function select(i) {
    readReport();
    for (const cell of tree.querySelectorAll('td.p.hl')) {
      cell.classList.remove('hl');
    }
    for (const tr of tree.querySelectorAll('tr.sel')) {
      tr.classList.remove('sel');
    }
    if (i === selected || !rows[i]) {
      selected = -1;
      selection.textContent = HINT;
      return;
    }
    selected = i;
    for (const tr of tree.querySelectorAll('tr[data-p="' + i + '"]')) {
      tr.classList.add('sel');
      for (const cell of tr.querySelectorAll(':scope > td.p')) {
        cell.classList.add('hl');
      }
    }
    /* Names come from the page's own cells and column titles, which the C side escaped
     * (escape.h): the raw comm or label of the embedded report could hold a bidi override
     * or an invisible character. */
    const p = processes[i] || {};
    const heads = rows[i].closest('table').querySelectorAll('thead th.p');
    const comm = rows[i].querySelector('td.comm');
    const levels = (Array.isArray(p.pids) ? p.pids : []).map((level, j) => {
      const title = heads[j] ? heads[j].title : '';
      const label = title.slice(0, title.lastIndexOf(' ')) || level.ns;
      return level.pid + ' in ' + label;
    });
    selection.textContent = (comm ? comm.textContent : '') + ': ' + levels.join(' = ');
  }
  tree.addEventListener('click', (ev) => {
    const cell = ev.target.closest('td.p');
    const tr = cell ? cell.closest('tr[data-p]') : null;
    if (tr) {
      select(Number(tr.dataset.p));
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
  status.textContent = tree.querySelectorAll('tr[data-p]').length + ' processes';
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
  tree.dataset.ready = 'yes';
})();
