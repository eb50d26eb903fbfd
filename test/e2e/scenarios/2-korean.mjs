// The same Dockerfile with VS Code's display language set to Korean: the language server is
// started with VS Code's locale, so hovers are in Korean.
import assert from 'node:assert/strict';

export default {
  title: 'Korean display language (code-server --locale ko)',
  workspace: 'examples/multi-stage',
  // The Korean language pack cannot be downloaded here: a stand-in that declares `ko` with no
  // translations is installed instead, through the workbench, before the restart with --locale.
  displayLanguage: { locale: 'ko', pack: 'test/e2e/fixtures/ko-display-language' },
  scenarios: [
    {
      name: 'hover on the `go mod download` RUN is in Korean',
      async run(wb) {
        await wb.openFile('Dockerfile');
        const text = await wb.hover('RUN --mount=type=cache,target=/go/pkg/mod', 'RUN', { accept: (t) => /레이어|Layer/.test(t) });
        assert.match(text, /스테이지 build의 레이어 \d+/);
        assert.match(text, /파일시스템 레이어/);
        assert.doesNotMatch(text, /Layer \d+ of stage/);
      },
    },
  ],
};
