/**
 * Hovers read at a glance, over the wire: on every instruction of every example Dockerfile (opened
 * from disk, so the build context is read), a hover has at most 12 non-empty lines, and one on an
 * instruction that makes a layer still says which layer, its size, where the figure comes from
 * and the cache state — in English and in Korean. Everything else lives in the layer tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { markdown, ServerHarness } from './harness';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = readdirSync(path.join(ROOT, 'examples')).map((name) => path.join(ROOT, 'examples', name, 'Dockerfile'));
const MAX_LINES = 12;

const WORDS = {
  en: { layer: /^\*\*Layer \d+ of stage /, size: /^Size: /, cache: /^(Cache: |\*\*Next build)/ },
  ko: { layer: /^\*\*스테이지 .+의 레이어 \d+/, size: /^크기: /, cache: /^(캐시: |\*\*다음 빌드)/ },
} as const;

for (const locale of ['en', 'ko'] as const) {
  describe(`hovers on the examples stay short (${locale})`, () => {
    let server: ServerHarness;
    before(async () => {
      server = new ServerHarness({ settings: { enable: true, debounceMs: 0 } });
      await server.initialize({ capabilities: { workspace: { configuration: true }, textDocument: { hover: { contentFormat: ['markdown'] } } }, locale });
    });
    after(() => server?.dispose());

    for (const file of EXAMPLES) {
      it(path.relative(ROOT, file), async () => {
        const uri = pathToFileURL(file).toString();
        const text = readFileSync(file, 'utf8');
        const published = server.diagnostics.wait(uri, (p) => p.version === 1, `diagnostics for ${uri}`);
        await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
        await published;
        const lines = text.split('\n');
        let layers = 0;
        for (let line = 0; line < lines.length; line++) {
          if (!/^[A-Za-z]/.test(lines[line]!)) continue;
          const value = markdown(await server.request(server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 1 } }), `hover ${line + 1}`));
          if (!value) continue;
          const rows = value.split('\n').filter((l) => l.trim() !== '');
          assert.ok(rows.length <= MAX_LINES, `${path.basename(path.dirname(file))} line ${line + 1}: ${rows.length} lines\n${value}`);
          if (!WORDS[locale].layer.test(rows[0]!)) continue;
          layers++;
          const words = WORDS[locale];
          assert.ok(rows.some((r) => words.size.test(r)), `line ${line + 1}: no size\n${value}`);
          // where the figure comes from: the italic line right after the size
          const size = rows.findIndex((r) => words.size.test(r));
          assert.match(rows[size + 1]!, /^\*.+\*$/, `line ${line + 1}: no source line after the size\n${value}`);
          assert.ok(rows.some((r) => words.cache.test(r)), `line ${line + 1}: no cache state\n${value}`);
        }
        assert.ok(layers > 0, `${file}: some hover named a layer`);
      });
    }
  });
}
