// Editor features on a one-stage Dockerfile (test/e2e/fixtures/features): code lenses, quick
// fixes, and the layer tree panel (rows, a click that moves the editor, a live edit). Scenarios run
// in order in one workbench and build on each other: the fixes change the file, the panel stays
// open for the click and the edit.
import assert from 'node:assert/strict';
import { until } from '../lib/poll.mjs';

const DOCKERFILE = 'Dockerfile';
const RUN_APT = 'RUN apt-get update && apt-get install -y --no-install-recommends curl';
const APT_CLEANUP = '    && rm -rf /var/lib/apt/lists/*';
const LAYER_ROWS = '.tree .layer[role="treeitem"]';

/** Rows of the layers panel: `{ id, line, text }` for each layer row, once the panel shows any. */
async function layerRows(wb) {
  const frame = await wb.webviewFrame(LAYER_ROWS);
  if (!frame) return null;
  return frame.locator(LAYER_ROWS).evaluateAll((els) => els.map((el) => ({
    id: el.id,
    line: Number(el.dataset.line),
    text: el.querySelector('.instruction')?.textContent ?? '',
  })));
}

/** 1-based number of the first editor line equal to `text`; the fixture is short enough to show whole. */
async function lineNumberOf(wb, text) {
  const index = (await wb.editorLines()).indexOf(text);
  assert.ok(index >= 0, `the editor shows the line ${JSON.stringify(text)}`);
  return index + 1;
}

export default {
  title: 'code lenses, quick fixes and the layers panel (code-server), English',
  workspace: 'test/e2e/fixtures/features',
  scenarios: [
    {
      name: 'code lenses: `Stage #0 · … in all · target image` above FROM, `Layer 1 · …` and `Layer 2 · …` above RUN and ADD',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        const lenses = await until(async () => {
          const texts = await wb.codeLensTexts();
          // the ADD's lens says `size ?` until the build context has been read, then its bytes
          return texts.some((t) => /^Layer 2 · \d+ B$/.test(t)) && texts;
        }, { timeout: 45_000, what: 'the Dockerlens code lenses, the ADD layer sized from the build context' });
        assert.equal(lenses.length, 3, `one lens per stage and per layer-making instruction: ${lenses.join(' | ')}`);
        assert.match(lenses[0], /^Stage #0 · .*\d.* in all · target image$/);
        assert.match(lenses[1], /^Layer 1 · .*\d.* [kMG]B\b/, 'the estimated size of the RUN layer');
        assert.match(lenses[2], /^Layer 2 · \d+ B$/, 'the ADD layer holds the 55-byte app.sh');
      },
    },
    {
      name: 'quick fixes (Ctrl+.): "Use COPY" on the ADD line, then "Remove the apt lists in the same RUN" on the RUN line',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        await wb.applyQuickFix('ADD app.sh /app/', 'ADD', 'Use COPY');
        await until(async () => (await wb.editorLines()).includes('COPY app.sh /app/'), {
          timeout: 10_000, what: 'the ADD line to become COPY',
        });
        assert.ok(!(await wb.editorLines()).includes('ADD app.sh /app/'), 'the ADD keyword is replaced, not added to');
        await wb.applyQuickFix(RUN_APT, 'apt-get', 'Remove the apt lists in the same RUN');
        const lines = await until(async () => {
          const shown = await wb.editorLines();
          return shown.includes(APT_CLEANUP) && shown;
        }, { timeout: 10_000, what: 'the apt lists cleanup in the RUN' });
        const run = lines.indexOf(`${RUN_APT} \\`);
        assert.ok(run >= 0, `the RUN line ends with a continuation: ${lines.join(' | ')}`);
        assert.equal(lines[run + 1], APT_CLEANUP, 'the cleanup is the next line of the same RUN');
      },
    },
    {
      name: 'command palette "Dockerlens: Show Layers": the panel beside the editor shows a row per layer',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        await wb.runCommand('Dockerlens: Show Layers');
        const rows = await until(async () => {
          const found = await layerRows(wb);
          return found?.some((r) => r.text.startsWith('COPY')) && found;
        }, { timeout: 30_000, what: 'layer rows in the layers panel' });
        assert.deepEqual(rows.map((r) => r.id), ['row-0-0', 'row-0-1', 'row-0-2']);
        assert.deepEqual(rows.map((r) => r.text.split(' ')[0]), ['FROM', 'RUN', 'COPY']);
        const frame = await wb.webviewFrame(LAYER_ROWS);
        assert.match(await frame.locator('#stage-0').innerText(), /#0/, 'the stage header names stage #0');
      },
    },
    {
      name: 'clicking the COPY row in the panel moves the editor\'s cursor to the COPY line',
      async run(wb) {
        const copyLine = await lineNumberOf(wb, 'COPY app.sh /app/');
        const before = await wb.activeLineNumber();
        assert.notEqual(before, copyLine, 'the cursor starts elsewhere (on the RUN line of the last fix)');
        const frame = await wb.webviewFrame('#row-0-2');
        assert.ok(frame, 'the layers panel is still open');
        assert.equal(Number(await frame.locator('#row-0-2').getAttribute('data-line')) + 1, copyLine);
        await frame.locator('#row-0-2 .instruction').click();
        // The panel keeps the focus; the editor draws the selection as an inactive one.
        await until(async () => (await frame.locator('#row-0-2').getAttribute('aria-selected')) === 'true', {
          timeout: 5_000, what: 'the clicked row to be selected',
        });
        // The editor marks the cursor's line number even while the panel keeps the focus.
        await until(async () => (await wb.activeLineNumber()) === copyLine, {
          timeout: 10_000, interval: 200, what: `the editor to mark line ${copyLine} as the cursor's line`,
        });
      },
    },
    {
      name: 'opening the COPY row shows what it copies (app.sh), and a click on it goes to the COPY line',
      async run(wb) {
        const frame = await wb.webviewFrame('#row-0-2');
        assert.ok(frame, 'the layers panel is still open');
        await frame.locator('#row-0-2 .toggle').click();
        const names = await until(async () => {
          const shown = await frame.locator('#row-0-2 .contents-row .contents-name').allTextContents();
          return shown.length > 0 && shown;
        }, { timeout: 10_000, what: "the COPY layer's contents under its row" });
        assert.deepEqual(names, ['app.sh'], 'the one file the COPY brings');
        const entry = frame.locator('#row-0-2 .contents-row').first();
        assert.match(await entry.locator('.size').innerText(), /^\d+ B$/, 'a 55-byte file');
        await wb.openFile(DOCKERFILE);
        await wb.clickOn('RUN apt-get', 'curl');
        const copyLine = await lineNumberOf(wb, 'COPY app.sh /app/');
        await entry.click();
        await until(async () => (await wb.activeLineNumber()) === copyLine, {
          timeout: 10_000, interval: 200, what: `the editor to mark line ${copyLine} (the COPY) as the cursor's line`,
        });
      },
    },
    {
      name: 'typing `RUN echo more` at the end: the panel gains a row for layer 3',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        await wb.typeAtEnd('RUN echo more');
        assert.equal((await wb.editorLines()).at(-1), 'RUN echo more');
        const lastLine = await lineNumberOf(wb, 'RUN echo more');
        const rows = await until(async () => {
          const found = await layerRows(wb);
          return found?.some((r) => r.text === 'RUN echo more') && found;
        }, { timeout: 15_000, what: 'a row for `RUN echo more` in the layers panel' });
        assert.deepEqual(rows.map((r) => r.id), ['row-0-0', 'row-0-1', 'row-0-2', 'row-0-3']);
        assert.equal(rows[3].line + 1, lastLine, 'the new row points at the new line');
      },
    },
  ],
};
