#!/usr/bin/env node
'use strict';
// Writes syntaxes/dockerfile.tmLanguage.json from syntaxes/src/dockerfile.grammar.js.
//   node scripts/build-grammar.js          rebuild the JSON
//   node scripts/build-grammar.js --check  exit 1 if the committed JSON is out of date
// The grammar tests call render() and compare it with the committed file as well.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const output = path.join(root, 'syntaxes', 'dockerfile.tmLanguage.json');

function render() {
  const { grammar } = require(path.join(root, 'syntaxes', 'src', 'dockerfile.grammar.js'));
  return JSON.stringify(grammar(), null, 2) + '\n';
}

if (require.main === module) {
  const text = render();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(root, output)} is out of date: run node scripts/build-grammar.js`);
      process.exit(1);
    }
  } else {
    fs.writeFileSync(output, text);
    console.log(`wrote ${path.relative(root, output)} (${text.length} bytes)`);
  }
}

module.exports = { render, output };
