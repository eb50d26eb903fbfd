/**
 * The layer tree's layout in a real browser engine (Debian's Chromium, driven by the playwright-core
 * that scripts/e2e-setup.sh installs): at 400, 540 (the width the panel opens with beside the
 * editor) and 1,200 px, every row's instruction and every package or file name in an opened
 * layer keeps a readable width — happy-dom does no layout, so only a browser can tell. Screenshots
 * go to test-results/layout/. Without the e2e tools it skips with one line saying why.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildLayersView, uiStrings } from '../../protocol/layersView';
import { ROOT, sizedModel, webviewChecksFile } from './harness';

// Functions passed to evaluate() run in the page: these are the browser's globals there.
declare const window: { postMessage(message: unknown, origin: string): void };
interface PageElement { textContent: string | null; scrollWidth: number; getBoundingClientRect(): { width: number } }
declare const document: { querySelectorAll(selector: string): Iterable<PageElement>; documentElement: { scrollWidth: number; clientWidth: number } };

const CHROMIUM = '/usr/bin/chromium';
const E2E_HOME = process.env['DOCKERLENS_E2E_HOME'] || path.join(homedir(), '.cache', 'dockerlens-e2e');
const TOOLS = path.join(E2E_HOME, 'code-server-4.100.3');
const RESULTS = path.join(ROOT, 'test-results', 'layout');
/** a name or instruction narrower than this is cut to a few letters ("bi…", "RUN ap…") */
const READABLE_PX = 120;

interface Playwright {
  chromium: { launch(options: object): Promise<Browser> };
}
interface Browser {
  newPage(options: object): Promise<Page>;
  close(): Promise<void>;
}
interface Page {
  setContent(html: string): Promise<void>;
  evaluate<T, A>(fn: (arg: A) => T, arg: A): Promise<T>;
  waitForSelector(selector: string): Promise<unknown>;
  click(selector: string): Promise<void>;
  screenshot(options: object): Promise<unknown>;
  close(): Promise<void>;
}

function loadPlaywright(): Playwright | string {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (run: bash scripts/e2e-setup.sh)`;
  try {
    return createRequire(path.join(TOOLS, 'package.json'))('playwright-core') as Playwright;
  } catch {
    return `playwright-core is not installed in ${TOOLS} (run: bash scripts/e2e-setup.sh)`;
  }
}

const APT = readFileSync(path.join(ROOT, 'examples/apt-waste/Dockerfile'), 'utf8');
const MULTI = readFileSync(path.join(ROOT, 'examples/multi-stage/Dockerfile'), 'utf8');

/** The panel's page as the extension writes it, with inline copies of its three files (no CSP: no webview here). */
function page(): string {
  const file = (p: string) => readFileSync(p, 'utf8').replace(/<\/script/gi, '<\\/script');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
:root { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace; }
${readFileSync(path.join(ROOT, 'media/layers.css'), 'utf8')}</style></head><body><main id="app"></main>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>
<script>${file(webviewChecksFile)}</script>
<script>${file(path.join(ROOT, 'media/layers.js'))}</script></body></html>`;
}

const playwright = loadPlaywright();

describe('layer tree layout in Chromium', { skip: typeof playwright === 'string' ? `SKIP layout: ${playwright}` : false }, () => {
  let browser: Browser;
  before(async () => {
    browser = await (playwright as Playwright).chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    mkdirSync(RESULTS, { recursive: true });
  });
  after(async () => browser?.close());

  for (const width of [400, 540, 1200]) {
    it(`at ${width} px: instructions and the packages of an opened layer keep a readable width`, async () => {
      const tab = await browser.newPage({ viewport: { width, height: 1400 } });
      await tab.setContent(page());
      for (const [name, text] of [['apt', APT], ['multi', MULTI]] as const) {
        const view = buildLayersView(sizedModel(text), 'en', { file: 'Dockerfile' });
        await tab.evaluate(([strings, shown]) => {
          window.postMessage({ type: 'locale', locale: 'en', strings }, '*');
          window.postMessage({ type: 'model', uri: `file:///work/${Math.random()}/Dockerfile`, version: 1, view: shown }, '*');
        }, [uiStrings('en'), view] as const);
        await tab.waitForSelector('.row');
        // open the largest RUN: its packages are the names that were cut to nothing
        const biggest = view.stages.flatMap((s) => s.layers).filter((l) => l.kind === 'filesystem').sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0))[0]!;
        const rowId = `row-${biggest.id.replace(':', '-')}`;
        await tab.click(`#${rowId} .toggle`);
        await tab.waitForSelector(`#${rowId} .contents-name`);
        const measured = await tab.evaluate((id) => ({
          instructions: [...document.querySelectorAll('.row > .text')].map((e) => ({ text: e.textContent ?? '', px: e.getBoundingClientRect().width })),
          names: [...document.querySelectorAll(`#${id} .contents-name`)].map((e) => ({ text: e.textContent ?? '', px: e.getBoundingClientRect().width, full: e.scrollWidth })),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        }), rowId);
        await tab.screenshot({ path: path.join(RESULTS, `${name}-${width}.png`), fullPage: true });
        assert.ok(measured.instructions.length > 0 && measured.names.length > 0);
        for (const cell of measured.instructions) {
          assert.notEqual(cell.text.trim(), '');
          assert.ok(cell.px >= READABLE_PX, `${name} at ${width} px: instruction "${cell.text}" is ${Math.round(cell.px)} px wide`);
        }
        for (const cell of measured.names) {
          assert.notEqual(cell.text.trim(), '');
          // a short name may be narrower; a long one is never cut below a readable width
          assert.ok(cell.px >= Math.min(READABLE_PX, cell.full - 1), `${name} at ${width} px: "${cell.text}" shows ${Math.round(cell.px)} of ${cell.full} px`);
        }
        assert.ok(measured.overflow <= 0, `${name} at ${width} px: the page scrolls sideways by ${measured.overflow} px`);
      }
      writeFileSync(path.join(RESULTS, 'README.txt'), 'Screenshots of the layer tree at 400, 540 and 1,200 px (test/webview/layout.test.ts).\n');
      await tab.close();
    });
  }
});
