// The VS Code workbench in a browser page, seen as a user sees it: explorer, editor, hovers,
// command palette, panels. Every wait polls the page with a deadline; nothing sleeps blindly.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { until } from './poll.mjs';

/** Chromium flags for this machine's closed network; playwright adds a fresh --user-data-dir. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const normalize = (text) => (text ?? '').replace(/\u00a0/g, ' ');

export class Workbench {
  /** Opens `url` in a new page of `browser` and waits for the workbench to be drawn. */
  static async open(browser, url, { screenshotsDir }) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(30_000);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    return new Workbench(page, screenshotsDir);
  }

  constructor(page, screenshotsDir) {
    this.page = page;
    this.screenshotsDir = screenshotsDir;
  }

  async close() {
    await this.page.close().catch(() => {});
  }

  async screenshot(name) {
    mkdirSync(this.screenshotsDir, { recursive: true });
    const file = path.join(this.screenshotsDir, `${name}.png`);
    // Finished animations: a hover caught while it fades in would be half transparent.
    await this.page.screenshot({ path: file, animations: 'disabled' });
    return file;
  }

  /** Opens a file of the workspace by clicking it in the explorer; waits until its tab is active. */
  async openFile(name) {
    const activeTab = this.page.locator('.tabs-container .tab.active', { hasText: name });
    if (await activeTab.count()) return;
    await this.page.getByRole('treeitem', { name, exact: true }).click();
    await activeTab.waitFor();
    await this.page.locator('.editor-instance .monaco-editor .view-lines').waitFor();
  }

  /** Text of the lines the active editor shows, top to bottom (spaces normalized). */
  async editorLines() {
    const texts = await this.page.locator('.editor-instance .monaco-editor .view-line').evaluateAll((els) =>
      els.map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent })));
    return texts.sort((a, b) => a.top - b.top).map((l) => normalize(l.text));
  }

  /** Editor lines that contain text drawn faded ("unnecessary" diagnostics). */
  async fadedLines() {
    const texts = await this.page.locator('.editor-instance .monaco-editor .view-line')
      .filter({ has: this.page.locator('.squiggly-inline-unnecessary') })
      .evaluateAll((els) => els.map((el) => el.textContent));
    return texts.map(normalize);
  }

  /** Polls the faded lines until `accept(lines)` holds; returns them. */
  async waitForFaded(accept, { timeout = 45_000 } = {}) {
    return until(async () => {
      const lines = await this.fadedLines();
      return accept(lines) && lines;
    }, { timeout, what: 'faded (unnecessary) code in the editor' });
  }

  /**
   * Screen point at the middle of `word` on the first editor line that starts with `line` (a
   * string) or matches it (a RegExp).
   */
  async pointOf(line, word) {
    const matcher = line instanceof RegExp ? { source: line.source, flags: line.flags } : { prefix: line };
    return this.page.evaluate(([matcher, word]) => {
      const test = matcher.prefix !== undefined
        ? (text) => text.startsWith(matcher.prefix)
        : (text) => new RegExp(matcher.source, matcher.flags).test(text);
      for (const el of document.querySelectorAll('.editor-instance .monaco-editor .view-line')) {
        const text = el.textContent.replace(/\u00a0/g, ' ');
        if (!test(text)) continue;
        const at = text.indexOf(word);
        if (at < 0) return null;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let offset = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent.length;
          if (at < offset + length) {
            const range = document.createRange();
            range.setStart(node, at - offset);
            range.setEnd(node, Math.min(length, at - offset + word.length));
            const box = range.getBoundingClientRect();
            return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
          }
          offset += length;
        }
      }
      return null;
    }, [matcher, word]);
  }

  /** The visible hover widget's content locator. */
  hoverWidget() {
    return this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').first();
  }

  /**
   * Moves the mouse onto `word` of the line `line` (see pointOf) and returns the hover's text
   * once `accept(text)` holds. The language server may still be starting, so the mouse is moved
   * away and back until the deadline.
   */
  async hover(line, word, { accept = () => true, timeout = 45_000 } = {}) {
    const widget = this.hoverWidget();
    return until(async () => {
      await this.dismissHover();
      const point = await this.pointOf(line, word);
      if (!point) throw new Error(`no editor line ${line} with ${JSON.stringify(word)} is shown`);
      await this.page.mouse.move(point.x - 3, point.y);
      await this.page.mouse.move(point.x, point.y, { steps: 3 });
      const text = await until(async () => (await widget.isVisible()) && normalize(await widget.innerText()), {
        timeout: 3_000, interval: 100, what: 'a hover',
      }).catch(() => null);
      // Lines can move while the hover opens (code lenses arrive with a new analysis): a hover
      // counts only if the word is still under the mouse.
      const after = await this.pointOf(line, word);
      const stayed = after && Math.abs(after.x - point.x) < 2 && Math.abs(after.y - point.y) < 2;
      return text && stayed && accept(text) ? text : null;
    }, { timeout, interval: 250, what: `a hover on ${JSON.stringify(word)} of line ${line}` });
  }

  async dismissHover() {
    await this.page.mouse.move(1, 1);
    if (await this.hoverWidget().isVisible()) await this.page.keyboard.press('Escape');
  }

  /**
   * Runs a command by its title through the command palette (F1), as a user would. With
   * `asksForInput`, the command goes on in the same quick-input box (a file path, say).
   */
  async runCommand(title, { asksForInput = false } = {}) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    // Right after start-up the palette may open before every command is registered: close it and
    // ask again a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      await input.waitFor();
      await input.fill(`>${title}`);
      const shown = await row.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 4) throw new Error(`the command palette never offered "${title}"`);
      await this.page.keyboard.press('Escape');
    }
    // The list refreshes as it filters: press Enter once the first row is the command.
    await until(async () => normalize(await this.page.locator('.quick-input-list .monaco-list-row').first().innerText()).includes(title), {
      timeout: 10_000, what: `"${title}" to be the first command palette entry`,
    });
    await this.page.keyboard.press('Enter');
    if (asksForInput) {
      await until(async () => !(await input.inputValue()).startsWith('>'), { timeout: 10_000, what: `"${title}" to ask for input` });
    } else {
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
  }

  /**
   * Answers VS Code's own file dialog (the remote file system's: a path box in the quick input)
   * with `file`. The dialog ignores Enter while it is still resolving what was typed, so Enter is
   * pressed again until it closes.
   */
  async chooseInFileDialog(file) {
    const pathInput = this.page.locator('.quick-input-widget .quick-input-box input');
    await until(async () => (await pathInput.inputValue()).startsWith('/'), { timeout: 15_000, what: 'the file dialog' });
    await until(async () => {
      if (!(await pathInput.isVisible())) return true;
      if ((await pathInput.inputValue()) !== file) await pathInput.fill(file);
      await pathInput.press('Enter');
      return until(async () => !(await pathInput.isVisible()), { timeout: 3_000, what: 'the file dialog to close' }).catch(() => false);
    }, { timeout: 45_000, interval: 0, what: `the file dialog to take ${file}` });
  }

  /**
   * With a quick pick open, chooses the row whose text contains `label` (arrow keys, then Enter,
   * as a user would; the list may still be filling in).
   */
  async chooseInQuickPick(label) {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused');
    await until(async () => {
      if (normalize(await focused.innerText().catch(() => '')).includes(label)) return true;
      await this.page.keyboard.press('ArrowDown');
      return false;
    }, { timeout: 5_000, interval: 100, what: `"${label}" to be focused in the quick pick` });
    await this.page.keyboard.press('Enter');
  }

  /** Opens the Problems view with its keyboard shortcut (Ctrl+Shift+M) unless it is open. */
  async openProblems() {
    const view = this.page.locator('.markers-panel');
    if (await view.isVisible()) return view;
    await this.page.keyboard.press('Control+Shift+M');
    await view.waitFor();
    return view;
  }

  /**
   * Scrolls the Output panel's editor to the first match of `text` (with its find widget) and
   * returns the text of the lines it then shows.
   */
  async revealInOutput(text) {
    const editor = this.page.locator('.part.panel .monaco-editor').first();
    await editor.waitFor();
    const lines = async () => normalize((await editor.locator('.view-lines').innerText()));
    if (!(await lines()).includes(text)) {
      // Focus the output editor: click near its bottom, away from the sticky scroll lines on top.
      const box = await editor.boundingBox();
      await editor.click({ position: { x: Math.min(200, box.width / 2), y: box.height - 15 } });
      await this.page.keyboard.press('Control+F');
      const find = editor.locator('.find-widget .input').first();
      await find.waitFor();
      const matchCase = editor.locator('.find-widget .codicon-case-sensitive').first();
      if ((await matchCase.getAttribute('aria-checked')) !== 'true') await matchCase.click();
      await find.fill(text);
      await this.page.keyboard.press('Enter');
      await this.page.keyboard.press('Escape');
    }
    return until(async () => {
      const shown = await lines();
      return shown.includes(text) && shown;
    }, { timeout: 10_000, what: `${JSON.stringify(text)} in the Output panel` });
  }

  /**
   * Text of the webview (any open one) whose page contains every string of `needles`, or ''.
   * Webviews are nested iframes; each frame's body is read.
   */
  async webviewText(needles) {
    for (const frame of this.page.frames()) {
      if (frame === this.page.mainFrame()) continue;
      const text = normalize(await frame.locator('body').innerText({ timeout: 1_000 }).catch(() => ''));
      if (needles.every((n) => text.includes(n))) return text;
    }
    return '';
  }

  /**
   * The webview frame (the inner `active-frame` of a webview's nested iframes) whose document has
   * an element matching `selector`, or null.
   */
  async webviewFrame(selector) {
    for (const frame of this.page.frames()) {
      if (frame === this.page.mainFrame()) continue;
      if (await frame.locator(selector).count().catch(() => 0)) return frame;
    }
    return null;
  }

  /** Texts of the code lenses the active editor shows, top to bottom (spaces normalized). */
  async codeLensTexts() {
    const lenses = await this.page.locator('.editor-instance .monaco-editor .codelens-decoration').evaluateAll((els) =>
      els.map((el) => ({ top: el.getBoundingClientRect().top, text: el.textContent })));
    return lenses.sort((a, b) => a.top - b.top).map((l) => normalize(l.text));
  }

  /** Clicks `word` on the first editor line that starts with (or matches) `line`; see pointOf. */
  async clickOn(line, word) {
    const point = await this.pointOf(line, word);
    if (!point) throw new Error(`no editor line ${line} with ${JSON.stringify(word)} is shown`);
    await this.page.mouse.click(point.x, point.y);
  }

  /**
   * With the cursor where a diagnostic is, opens the quick fixes (Ctrl+.) and chooses `title`.
   * Diagnostics arrive after the language server has analysed the file: the menu is closed and
   * opened again until the fix is offered.
   */
  async applyQuickFix(line, word, title, { timeout = 45_000 } = {}) {
    const menu = this.page.locator('.action-widget');
    const row = menu.locator('.monaco-list-row', { hasText: title }).first();
    await until(async () => {
      if (await menu.isVisible()) await this.page.keyboard.press('Escape');
      await this.clickOn(line, word);
      await this.page.keyboard.press('Control+.');
      return until(async () => row.isVisible(), { timeout: 2_500, interval: 100, what: `the quick fix "${title}"` }).catch(() => false);
    }, { timeout, interval: 250, what: `the quick fix "${title}" on line ${line}` });
    // A pointer block over the workbench takes mouse clicks while the menu is open: choose the
    // fix with the keyboard, as the menu's own hint says (Enter to Apply).
    const focused = menu.locator('.monaco-list-row.focused');
    await until(async () => {
      if (normalize(await focused.innerText().catch(() => '')).includes(title)) return true;
      await this.page.keyboard.press('ArrowDown');
      return false;
    }, { timeout: 5_000, interval: 100, what: `the quick fix "${title}" to be focused in the menu` });
    await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
  }

  /** The status bar's cursor position of the active editor, as `{ line, column }` (1-based), or null. */
  /** The line number the editor marks as the cursor's line (drawn even while another part has focus). */
  async activeLineNumber() {
    const numbers = this.page.locator('.editor-instance .monaco-editor .margin-view-overlays .active-line-number');
    const count = await numbers.count();
    for (let i = 0; i < count; i++) {
      const text = normalize(await numbers.nth(i).innerText().catch(() => ''));
      if (/^\d+$/.test(text)) return Number(text);
    }
    return null;
  }

  async cursorPosition() {
    const item = this.page.locator('#status\\.editor\\.selection');
    if (!(await item.isVisible())) return null;
    const match = normalize(await item.innerText()).match(/Ln (\d+), Col (\d+)/);
    return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
  }

  /** Name of the channel the Output panel shows. */
  async outputChannel() {
    return this.page.locator('.part.panel .monaco-select-box').first().inputValue().catch(async () =>
      normalize(await this.page.locator('.part.panel .monaco-select-box').first().innerText()));
  }

  /** Types `text` on a new line at the end of the active editor's document. */
  async typeAtEnd(text) {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').click();
    await this.page.keyboard.press('Control+End');
    const lines = await this.editorLines();
    if (lines.length && lines[lines.length - 1].trim() !== '') await this.page.keyboard.press('Enter');
    await this.page.keyboard.type(text, { delay: 10 });
    await this.page.keyboard.press('Escape');
  }
}
