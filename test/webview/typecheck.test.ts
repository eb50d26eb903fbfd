import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { mediaFile } from './harness';

// media/layers.js is plain JS for the webview (no build step), checked through //@ts-check and its
// JSDoc types, which come from protocol/: a change to the view model that the script does not
// follow fails here.
test('media/layers.js type-checks against the protocol types (strict, DOM)', () => {
  const file = mediaFile('layers.js');
  const program = ts.createProgram([file], {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  const source = program.getSourceFile(file);
  assert.ok(source, 'the script is part of the program');
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
  assert.equal(diagnostics.length, 0, text);
});
