// "Dockerlens: Compare with a Built Image…" on a real `docker save` archive, with no Docker
// engine: the workspace is test/fixtures/compare/scratch-image (a Dockerfile, its context and the
// image.tar built from it). Archives need no dockerlens.engine setting, only a trusted workspace
// (code-server runs with workspace trust off). The copied context files are newer than the image,
// so COPY layers may say the next build makes them anew: only what stays true is asserted.
import assert from 'node:assert/strict';
import path from 'node:path';
import { until } from '../lib/poll.mjs';

const DOCKERFILE = 'Dockerfile';
const IMAGE = 'dockerlens-fixture/scratch-image:1.0';
const LAYER_ROWS = '.tree .layer[role="treeitem"]';

/** The layers panel's "Last build" lines and its rows' `{ text, badge }`, once it shows them. */
async function comparedPanel(wb) {
  const frame = await wb.webviewFrame('.last-build');
  if (!frame) return null;
  const lastBuild = await frame.locator('.last-build li').allInnerTexts();
  const rows = await frame.locator(LAYER_ROWS).evaluateAll((els) => els.map((el) => ({
    text: el.querySelector('.instruction')?.textContent ?? '',
    badge: el.querySelector('.built-marker')?.textContent ?? '',
  })));
  return { lastBuild, rows };
}

export default {
  title: 'compare with a built image (docker save archive) in VS Code (code-server), English',
  workspace: 'test/fixtures/compare/scratch-image',
  scenarios: [
    {
      name: 'command palette "Dockerlens: Compare with a Built Image…", archive entry, image.tar in the file dialog: the layers panel names the last build',
      async run(wb, { workspace }) {
        await wb.openFile(DOCKERFILE);
        // the command is offered once the language server is up; its picker then asks the server
        await wb.runCommand('Dockerlens: Compare with a Built Image…', { asksForInput: true });
        const archive = 'A docker save archive or an OCI image layout';
        await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: archive }).waitFor({ timeout: 15_000 });
        await wb.screenshot('4-compare-a-picker');
        await wb.chooseInQuickPick(archive);
        await wb.chooseInFileDialog(path.join(workspace, 'image.tar'));
        const panel = await until(async () => {
          const found = await comparedPanel(wb);
          return found?.rows.length > 0 && found.rows.every((r) => r.badge) && found;
        }, { timeout: 45_000, what: 'the layers panel with the last build' });
        assert.match(panel.lastBuild[0], new RegExp(`^Last build: ${IMAGE.replace(/[.]/g, '\\.')} \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\): \\d+ layer\\(s\\) with its exact size, \\d+ estimated$`));
        assert.equal(panel.lastBuild[1], 'Built from this file as it is now.', 'the archive was built from this Dockerfile');
        // the badges are the archive's own layer sizes (a.txt + b.txt are 18 bytes), whatever the cache says
        assert.deepEqual(panel.rows.map((r) => [r.text.split(' ')[0], r.badge]), [
          ['WORKDIR', 'built 0 B'],
          ['COPY', 'built 18 B'],
          ['COPY', 'built 4.1 kB'],
        ], 'a row per filesystem layer, each with its size in the last build');
        const notice = wb.page.locator('.notifications-toasts .notification-toast', { hasText: `Compared with ${IMAGE}` });
        await notice.waitFor({ timeout: 10_000 });
        // the status bar follows the server's model (dockerlens/modelChanged), not only edits
        const size = wb.page.locator('.part.statusbar .statusbar-item', { hasText: / gz$/ });
        await until(async () => (await size.first().innerText().catch(() => '')).includes('4.1 kB'), { timeout: 15_000, what: 'the status bar to show the image size (4.1 kB)' });
        // the lenses are fetched again once the model with the last build is out: WORKDIR's is its built 0 B
        await until(async () => (await wb.codeLensTexts()).some((t) => /^Layer 1 · 0 B\b/.test(t)), { timeout: 15_000, what: 'the WORKDIR lens to show its built size (Layer 1 · 0 B)' });
      },
    },
    {
      name: 'hover on the `COPY a.txt b.txt ./` line: "Last build: 18 B (predicted 18 B)"',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        const text = await wb.hover('COPY a.txt b.txt ./', 'COPY', { accept: (t) => t.includes('Last build') });
        assert.match(text, /Last build: 18 B \(predicted 18 B\)/, 'the built size of a.txt + b.txt, and the estimate from the context');
      },
    },
  ],
};
