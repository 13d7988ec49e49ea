// browser.mjs - Debian's Chromium, headless, through playwright-core (no downloaded browser):
// one fresh profile per launch, and a page that records everything a report must never do
// (request anything beyond its own file, open a dialog, log an error, violate its CSP).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.WSLNS_CHROMIUM || '/usr/bin/chromium';

// A browser with a fresh profile (playwright takes the profile directory as the persistent
// context's userDataDir rather than as --user-data-dir). javaScript: false for the no-JS view.
export async function launch({ javaScript = true, viewport = { width: 1280, height: 900 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'wslns-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled: javaScript,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    javaScript,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Opens a report file. Returns the page and `trouble`, the list of everything that went
// wrong while it loaded and ran (each entry a readable sentence). With JavaScript, waits
// until the page's script is done and (unless rows is false) has built every row: the
// script builds a section's rows after the page opened (#tree[data-rows]).
export async function openReport(browser, file, { rows = true } = {}) {
  const { context, javaScript } = browser;
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const trouble = [];
  await context.route('**/*', (route) => {
    if (route.request().url() === url) {
      return route.continue();
    }
    trouble.push(`the page requested ${route.request().url()}`);
    return route.abort();
  });
  page.on('dialog', (d) => {
    trouble.push(`a ${d.type()} dialog opened: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      trouble.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => trouble.push(`script error: ${e.message}`));
  if (javaScript) {
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
      });
    });
  }
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  if (javaScript) {
    try {
      await page.waitForSelector('#tree[data-ready="yes"]', { state: 'attached', timeout: 10000 });
      if (rows) {
        await page.waitForFunction(() => (document.getElementById('tree').dataset.rows ?? 'built') === 'built',
                                   null, { timeout: 60000 });
      }
    } catch (e) {
      throw new Error(`the page's script did not finish (${e.message.split('\n')[0]}); ` +
                      `meanwhile: ${trouble.slice(0, 5).join('; ') || 'nothing else went wrong'}` +
                      (trouble.length > 5 ? ` (and ${trouble.length - 5} more)` : ''));
    }
  }
  const loadMs = performance.now() - t0;
  return { page, trouble, loadMs };
}

// Types a query into the search box and waits until the page has applied it.
export async function searchFor(page, query) {
  const t0 = performance.now();
  await page.fill('#search', query);
  await page.press('#search', 'Enter');
  await page.waitForFunction((q) => document.getElementById('tree').dataset.query === q.trim().toLowerCase(),
                             query, { timeout: 10000 });
  return performance.now() - t0;
}
