// A multi-stage Dockerfile opened in VS Code (code-server) in English: diagnostics, hovers, the
// Show Layers command, and a live edit. Scenarios run in order in one workbench; the edit comes
// last because it changes the file.
import assert from 'node:assert/strict';
import { until } from '../lib/poll.mjs';

const DOCKERFILE = 'Dockerfile';
const RUN_GO_MOD = 'RUN --mount=type=cache,target=/go/pkg/mod';
const RUNTIME = /^FROM alpine:\S+ AS runtime$/;

export default {
  title: 'multi-stage Dockerfile in VS Code (code-server), English',
  workspace: 'examples/multi-stage',
  scenarios: [
    {
      name: 'unused stage `test`: DL-G007 hint fades it in the editor and shows on hover; Problems (no hints there) lists no errors',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        const problems = await wb.openProblems();
        const faded = await wb.waitForFaded((lines) => lines.some((l) => l.startsWith('FROM build AS test')));
        assert.deepEqual(faded, ['FROM build AS test'], 'only the unused stage `test` is faded');
        const text = await wb.hover('FROM build AS test', 'FROM', { accept: (t) => t.includes('DL-G007') });
        assert.match(text, /Stage 'test' is not needed to build the target 'runtime'/);
        assert.match(text, /dockerlens\s*\(\s*DL-G007\s*\)/, 'the diagnostic names source dockerlens and code DL-G007');
        // VS Code's Problems view lists errors, warnings and infos, never hints: DL-G007 is not
        // there, and the example has no errors.
        const rows = await problems.locator('.monaco-list-row').allInnerTexts();
        assert.equal(rows.filter((r) => r.includes('DL-G007')).length, 0, 'hints are not listed in Problems');
        assert.equal(await problems.locator('.codicon-error').count(), 0, `no errors in Problems: ${rows.join(' | ')}`);
      },
    },
    {
      name: 'hover on the `go mod download` RUN: layer of stage `build`',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        const text = await wb.hover(RUN_GO_MOD, 'RUN', { accept: (t) => t.includes('Layer') });
        assert.match(text, /Layer \d+ of stage build\b/);
        assert.match(text, /filesystem layer/);
        // `build` is rendered as code: the hover's markdown had it in backticks.
        assert.equal(await wb.hoverWidget().locator('code', { hasText: /^build$/ }).count() > 0, true, 'stage name shown as code');
      },
    },
    {
      name: 'hover on USER: no layer',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        const text = await wb.hover('USER 65534:65534', 'USER', { accept: (t) => /layer/i.test(t) });
        assert.match(text, /^No layer\b/);
        assert.doesNotMatch(text, /Layer \d+ of stage/);
      },
    },
    {
      name: 'command palette "Dockerlens: Show Layers" shows the layer table (layers panel, or the Dockerlens output channel)',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        await wb.runCommand('Dockerlens: Show Layers');
        const needles = ["Stage 'build'", "Stage 'runtime'"];
        // The command opens the layers webview beside the editor; where webviews cannot be shown
        // it writes the same table to the Dockerlens output channel.
        const where = await until(async () => ((await wb.webviewText(needles)) ? 'panel'
          : (await wb.page.locator('.part.panel .output-view').isVisible()) ? 'output' : ''), {
          timeout: 30_000, what: 'the layers panel or the Dockerlens output',
        });
        let text;
        if (where === 'panel') {
          text = await wb.webviewText(needles);
        } else {
          assert.match(await wb.outputChannel(), /Dockerlens/);
          text = `${await wb.revealInOutput(needles[0])}\n${await wb.revealInOutput(needles[1])}`;
        }
        assert.match(text, /Stage 'build'[^]*FROM golang:/);
        assert.match(text, /Stage 'runtime'[^]*FROM alpine:/);
        assert.match(text, /Stage 'runtime'\W+target\b|FROM alpine:.*\btarget\b/, 'the runtime stage is marked as the target');
      },
    },
    {
      name: 'typing `FROM alpine AS extra` at the end: the new target leaves `runtime` and `build` unused',
      async run(wb) {
        await wb.openFile(DOCKERFILE);
        await wb.dismissHover();
        await wb.typeAtEnd('FROM alpine AS extra');
        assert.equal((await wb.editorLines()).at(-1), 'FROM alpine AS extra');
        const faded = await wb.waitForFaded((lines) => lines.some((l) => RUNTIME.test(l)));
        assert.deepEqual(faded.map((l) => l.split(' AS ')[1]).sort(), ['build', 'runtime', 'test']);
        // Analyses of the half-typed line come first (a stage `e`, `ex`, …): wait for the last.
        const text = await wb.hover(RUNTIME, 'FROM', { accept: (t) => t.includes("Stage 'runtime' is not needed to build the target 'extra'") });
        assert.match(text, /Stage 'runtime' is not needed to build the target 'extra'[^]*dockerlens\s*\(\s*DL-G007\s*\)/);
      },
    },
  ],
};
