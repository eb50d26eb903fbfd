'use strict';
// Readable source of syntaxes/dockerfile.tmLanguage.json (the file VS Code loads). After an edit,
// run `node scripts/build-grammar.js`; test/grammar/grammar.test.ts fails while the JSON is stale.
//
// Regexes are Oniguruma (what vscode-textmate runs), written with String.raw: a backslash here is
// a backslash in the regex. The rules that depend on the Dockerfile escape character are generated
// twice: for `\` (the default) and for `` ` `` (after a `# escape=`` ` parser directive).
//
// How an instruction ends
// -----------------------
// vscode-textmate tokenizes one line at a time with "\n" appended, and a rule sees only its line.
// Every instruction is a begin/while rule whose while is `\G`. vscode-textmate lets `\G` match at
// the start of a line only when the innermost open rule's begin took the previous line's "\n"
// (its "beginRuleCapturedEOL"), so an instruction goes on to the next line only if its line ended
// inside one of these "line carrier" rules:
//   - a line continuation (escape character, blanks, "\n"),
//   - a full-line comment or a blank line inside a continued instruction (Docker drops those
//     lines and the instruction goes on),
//   - the first line of a heredoc, and each line of a heredoc body.
// The carriers are injections (see `injections` at the bottom), so they also fire when the
// embedded shell grammar has its own rules open (a shell `if` over several continuation lines).
// A carrier's while never matches, so it closes again as soon as the next line starts. Because a
// begin/while rule is checked at every line start whatever is nested inside it, the embedded
// shell can never run past the end of an instruction, and a heredoc body (begin/while on "the
// line is not the terminator") can never run past its terminator.

const r = String.raw;

const INSTRUCTIONS = [
  'FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT',
  'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
];

// Parser directives BuildKit knows; any other `# key=value` line is a comment and ends the
// directive block, as in BuildKit.
const DIRECTIVE = r`#[ \t]*(?i:syntax|escape|check)[ \t]*=`;

const HEREDOC_NAME = r`[A-Za-z_][A-Za-z0-9_.-]*`;
const SHELLS = r`(?:[\w.-]*/)?(?:ba|da|z|k|a)?sh`;
const NEVER = '(?!)';

function scoped(name) {
  return { name };
}

// A rule that takes the rest of the line with its "\n" and closes at the next line start: while it
// is the innermost rule at the end of a line, the enclosing instruction goes on (see above).
function lineCarrier(begin, beginCaptures) {
  const rule = { begin, while: NEVER };
  if (beginCaptures) rule.beginCaptures = beginCaptures;
  return rule;
}

// Heredocs. The outer begin/end rule holds the delimiter for the terminator line; the inner
// begin/while rule holds the body and is cut at the terminator whatever is open inside it.
//   body:   'shell'   the body is a shell script (RUN <<EOF, or `bash <<EOF` inside a RUN)
//           'expand'  data whose $VARIABLES are expanded (unquoted delimiter)
//           'literal' data taken as is (quoted delimiter)
//   prefix: a regex for the text before `<<` on the same line (consumed and tokenized with
//           prefixPatterns), or '' when the heredoc is where the scan stands.
function heredoc({ dash, body, prefix, prefixPatterns, restPatterns, expandPatterns }) {
  const operator = dash ? '<<-' : r`<<(?![-<])`;
  const quote = body === 'expand' ? '()' : body === 'literal' ? `(["'])` : `(["']?)`;
  const nameGroup = prefix ? 3 : 2;
  const begin = prefix
    ? r`(${prefix})(?=${operator}[ \t]*${quote}(${HEREDOC_NAME})\2)`
    : r`(?=${operator}[ \t]*${quote}(${HEREDOC_NAME})\1)`;
  const delimiter = '\\' + nameGroup; // back-reference to the begin's delimiter group
  const bodyRule = {
    // Takes the rest of the first line with its "\n": a line carrier for the first body line.
    begin: r`\G(${operator})[ \t]*${quote}(${HEREDOC_NAME})(\2)(.*)\n`,
    beginCaptures: {
      1: scoped('keyword.operator.heredoc.dockerfile'),
      2: scoped('punctuation.definition.heredoc.quote.dockerfile'),
      3: scoped('keyword.control.heredoc-token.dockerfile'),
      4: scoped('punctuation.definition.heredoc.quote.dockerfile'),
      5: { patterns: restPatterns },
    },
    while: dash ? r`^(?!\t*\3\n)` : r`^(?!\3\n)`,
  };
  if (body === 'shell') {
    bodyRule.contentName = 'meta.heredoc.body.dockerfile meta.embedded.block.shell';
    bodyRule.patterns = [{ include: 'source.shell' }];
  } else {
    bodyRule.contentName = 'meta.heredoc.body.dockerfile string.unquoted.heredoc.dockerfile';
    bodyRule.patterns = body === 'expand' ? expandPatterns : [];
  }
  const rule = {
    name: 'meta.heredoc.dockerfile',
    begin,
    end: dash ? r`^\t*(${delimiter})(?=\n)` : r`^(${delimiter})(?=\n)`,
    endCaptures: { 1: scoped('keyword.control.heredoc-token.dockerfile') },
    patterns: [bodyRule],
  };
  if (prefix) rule.beginCaptures = { 1: { patterns: prefixPatterns } };
  return rule;
}
function heredocVariants(options, bodies) {
  return bodies.flatMap((body) => [true, false].map((dash) => heredoc({ ...options, body, dash })));
}

// Text before a `<<` on a shell line: no shell comment, no other `<<`, quotes only whole (so
// `echo "a << b"` is no heredoc).
const BEFORE_HEREDOC = r`(?:[^\n<#"']|<(?!<)|(?<=[^ \t])#|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')*?`;
const SHELL_LINE = [{ include: '#shell-comment' }, { include: 'source.shell' }];

/** Rules that do not depend on the escape character. */
function sharedRules() {
  return {
    // A `#` comment inside shell text. It goes on over continuation lines, as the shell sees the
    // joined line, and closes with its instruction.
    // Injected too: its begin takes the blanks before `#`, so that it starts where a shell
    // grammar's own comment rule would and wins the tie.
    'shell-comment': {
      begin: r`(?:^|[ \t]+|(?<=[;&|(]))(?=#)`,
      end: NEVER,
      patterns: [
        {
          name: 'comment.line.number-sign.shell',
          begin: '#',
          beginCaptures: { 0: scoped('punctuation.definition.comment.shell') },
          end: NEVER,
        },
      ],
    },
    // Heredocs inside shell text (injected, so they are found inside open shell rules too).
    // `bash <<EOF`, `sh -e <<EOF`: a script; `cat <<EOF > file`, `python3 <<EOF`: data.
    'shell-heredocs': {
      patterns: [
        ...heredocVariants(
          {
            prefix: r`${BEFORE_HEREDOC}(?<![^ \t;&|(])${SHELLS}(?:[ \t]+-[^ \t\n<]+)*[ \t]*`,
            prefixPatterns: SHELL_LINE,
            restPatterns: SHELL_LINE,
          },
          ['shell'],
        ),
        ...heredocVariants(
          {
            prefix: BEFORE_HEREDOC,
            prefixPatterns: SHELL_LINE,
            restPatterns: SHELL_LINE,
            expandPatterns: [{ include: '#shell-expansions' }],
          },
          ['expand', 'literal'],
        ),
      ],
    },
    // RUN <<EOF as the first argument: the heredoc is the script.
    'run-heredoc': {
      patterns: heredocVariants({ prefix: '', restPatterns: SHELL_LINE }, ['shell']),
    },
    // $VAR and ${VAR} in a data heredoc fed to a shell command (the shell expands them).
    'shell-expansions': {
      patterns: [
        { match: r`\\[$\\` + '`' + r`]`, name: 'constant.character.escape.dockerfile' },
        {
          match: r`(\$\{)([^}\n]*)(\})`,
          name: 'variable.other.braced.dockerfile',
          captures: {
            1: scoped('punctuation.definition.variable.begin.dockerfile'),
            3: scoped('punctuation.definition.variable.end.dockerfile'),
          },
        },
        {
          match: r`(\$)([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])`,
          name: 'variable.other.dockerfile',
          captures: { 1: scoped('punctuation.definition.variable.dockerfile') },
        },
      ],
    },
    // Inside a heredoc body every line ends in a line carrier, so the instruction stays open.
    'heredoc-line-end': lineCarrier(r`\n`),
  };
}

/** Rules for one escape character; repository keys get `suffix` so both sets can coexist. */
function rulesFor(escapeChar, suffix) {
  const E = escapeChar === '\\' ? r`\\` : '`';
  const key = (name) => name + suffix;
  const inc = (name) => ({ include: '#' + key(name) });

  // Start of an instruction, optionally behind ONBUILD. Group 1: ONBUILD, group 2: the keyword.
  const instruction = (kind, keywords, patterns) => ({
    name: `meta.instruction.${kind}.dockerfile`,
    begin: r`^[ \t]*(?:((?i:ONBUILD))[ \t]+)?((?i:${keywords.join('|')}))(?=[ \t]|${E}|$)`,
    beginCaptures: {
      1: scoped('keyword.other.instruction.onbuild.dockerfile'),
      2: scoped('keyword.other.instruction.dockerfile'),
    },
    while: r`\G`,
    patterns,
  });
  // The arguments after any flags: from the first other word to the end of the instruction.
  const argumentsRegion = (kind, patterns) => ({
    name: `meta.arguments.${kind}.dockerfile`,
    begin: r`(?=[^ \t\n])`,
    end: NEVER,
    patterns,
  });

  const rules = {};

  // --- line carriers (injected into every instruction) -----------------------------------------

  rules[key('continuation')] = {
    patterns: [
      lineCarrier(r`(${E})[ \t]*\n`, {
        1: scoped('constant.character.escape.line-continuation.dockerfile'),
      }),
      // A full-line comment inside a continued instruction.
      lineCarrier(r`^[ \t]*((#).*)\n`, {
        1: scoped('comment.line.number-sign.dockerfile'),
        2: scoped('punctuation.definition.comment.dockerfile'),
      }),
      // A blank line inside a continued instruction.
      lineCarrier(r`^[ \t]*\n`),
    ],
  };

  // --- pieces shared by the instructions -----------------------------------------------------

  rules[key('escapes')] = {
    match: r`${E}[^\n]`,
    name: 'constant.character.escape.dockerfile',
  };

  rules[key('variables')] = {
    patterns: [
      { match: r`${E}\$`, name: 'constant.character.escape.dockerfile' },
      {
        name: 'variable.other.braced.dockerfile',
        begin: r`(\$\{)([A-Za-z_][A-Za-z0-9_]*)?`,
        beginCaptures: {
          1: scoped('punctuation.definition.variable.begin.dockerfile'),
          2: scoped('variable.other.dockerfile'),
        },
        end: r`\}`,
        endCaptures: { 0: scoped('punctuation.definition.variable.end.dockerfile') },
        patterns: [
          { match: r`\G(?::?[-+?]|##?|%%?|//?)`, name: 'keyword.operator.expansion.dockerfile' },
          inc('strings'),
          inc('variables'),
          inc('escapes'),
        ],
      },
      {
        match: r`(\$)([A-Za-z_][A-Za-z0-9_]*|[0-9])`,
        name: 'variable.other.dockerfile',
        captures: { 1: scoped('punctuation.definition.variable.dockerfile') },
      },
    ],
  };

  rules[key('strings')] = {
    patterns: [
      {
        name: 'string.quoted.double.dockerfile',
        begin: '"',
        beginCaptures: { 0: scoped('punctuation.definition.string.begin.dockerfile') },
        end: '"',
        endCaptures: { 0: scoped('punctuation.definition.string.end.dockerfile') },
        patterns: [inc('variables'), inc('escapes')],
      },
      {
        name: 'string.quoted.single.dockerfile',
        begin: "'",
        beginCaptures: { 0: scoped('punctuation.definition.string.begin.dockerfile') },
        end: "'",
        endCaptures: { 0: scoped('punctuation.definition.string.end.dockerfile') },
      },
    ],
  };

  // --name or --name=value before the arguments (FROM, RUN, COPY, ADD, HEALTHCHECK).
  rules[key('flags')] = {
    match: r`(?<![^ \t])((--)([A-Za-z][A-Za-z0-9-]*))(?:(=)((?:[^ \t\n"'${E}]|${E}[^\n]|"(?:[^"${E}\n]|${E}[^\n])*"?|'[^'\n]*'?)*))?`,
    captures: {
      1: scoped('entity.other.attribute-name.flag.dockerfile'),
      2: scoped('punctuation.definition.flag.dockerfile'),
      4: scoped('keyword.operator.assignment.dockerfile'),
      5: { name: 'string.unquoted.flag-value.dockerfile', patterns: [inc('flag-value')] },
    },
  };
  rules[key('flag-value')] = {
    patterns: [
      // key=value pairs such as --mount=type=cache,target=/root/.cache
      {
        match: r`(?<=[=,])([A-Za-z][A-Za-z0-9_-]*)(=)`,
        captures: {
          1: scoped('entity.other.attribute-name.option.dockerfile'),
          2: scoped('keyword.operator.assignment.dockerfile'),
        },
      },
      { match: ',', name: 'punctuation.separator.comma.dockerfile' },
      inc('strings'),
      inc('variables'),
      inc('escapes'),
    ],
  };

  // JSON arrays of strings. exec-form (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK CMD): nothing is
  // expanded; json-array (COPY, ADD, VOLUME): variables are. Only a `[` followed by a string or `]`
  // opens one, so `RUN [ -f x ]` stays shell, as Docker would run it.
  const jsonArray = (expand) => ({
    name: 'meta.array.json.dockerfile',
    begin: r`(\[)(?=[ \t]*(?:"|\]|${E}[ \t]*$))`,
    beginCaptures: { 1: scoped('punctuation.definition.array.begin.dockerfile') },
    end: r`\]`,
    endCaptures: { 0: scoped('punctuation.definition.array.end.dockerfile') },
    patterns: [
      {
        name: 'string.quoted.double.json.dockerfile',
        begin: '"',
        beginCaptures: { 0: scoped('punctuation.definition.string.begin.dockerfile') },
        end: '"',
        endCaptures: { 0: scoped('punctuation.definition.string.end.dockerfile') },
        patterns: [
          { match: r`\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})`, name: 'constant.character.escape.json.dockerfile' },
          { match: r`\\[^\n]`, name: 'invalid.illegal.escape.json.dockerfile' },
          ...(expand ? [inc('variables')] : []),
        ],
      },
      { match: ',', name: 'punctuation.separator.array.dockerfile' },
      { match: r`[^ \t\n,\]"${E}]+`, name: 'invalid.illegal.json.dockerfile' },
    ],
  });
  rules[key('exec-form')] = jsonArray(false);
  rules[key('json-array')] = jsonArray(true);

  // Shell-form arguments of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.
  rules[key('shell')] = {
    name: 'meta.embedded.block.shell',
    begin: r`(?=[^ \t\n])`,
    end: NEVER,
    patterns: [
      {
        // The first command word. Shell grammars know a command by what comes before it (a line
        // start, `;`, `&&`, ...), which here is the instruction keyword, so name it here, with the
        // scopes VS Code's shell grammar gives every command: themes colour entity.name.function,
        // so with entity.name.command alone the first command stayed plain while those after
        // `&&` were coloured.
        match: r`\G(?!(?:if|then|else|elif|fi|for|while|until|do|done|case|esac|select|function|time)(?![^ \t\n;&|]))[^ \t\n;&|<>()$"'\\=#\[{}` + '`' + r`]+(?=[ \t\n;&|])`,
        name: 'entity.name.function.call.shell entity.name.command.shell',
      },
      { include: '#shell-comment' },
      { include: 'source.shell' },
    ],
  };

  // --- instructions ------------------------------------------------------------------------------

  rules[key('from')] = instruction('from', ['FROM'], [
    inc('flags'),
    argumentsRegion('from', [
      {
        // The image reference is the first argument.
        name: 'entity.name.type.image.dockerfile',
        begin: r`\G(?=[^ \t\n])`,
        end: r`(?=[ \t\n])`,
        patterns: [
          inc('variables'),
          {
            match: r`(@)([A-Za-z][A-Za-z0-9+._-]*:[0-9A-Fa-f]+)`,
            captures: {
              1: scoped('punctuation.separator.digest.dockerfile'),
              2: scoped('constant.other.image-digest.dockerfile'),
            },
          },
          {
            match: r`(:)((?:[\w.-]|\$\{[^}\n]*\}|\$[A-Za-z_]\w*)+)(?=@|[ \t\n])`,
            captures: {
              1: scoped('punctuation.separator.tag.dockerfile'),
              2: { name: 'constant.other.image-tag.dockerfile', patterns: [inc('variables')] },
            },
          },
        ],
      },
      {
        match: r`(?<![^ \t])((?i:AS))[ \t]+([^ \t\n]+)`,
        captures: {
          1: scoped('keyword.other.as.dockerfile'),
          2: scoped('entity.name.type.stage.dockerfile'),
        },
      },
      inc('strings'),
      inc('variables'),
    ]),
  ]);

  rules[key('run')] = instruction('run', ['RUN'], [
    inc('flags'),
    { include: '#run-heredoc' },
    inc('exec-form'),
    inc('shell'),
  ]);

  rules[key('cmd')] = instruction('cmd', ['CMD', 'ENTRYPOINT'], [inc('exec-form'), inc('shell')]);

  rules[key('healthcheck')] = instruction('healthcheck', ['HEALTHCHECK'], [
    inc('flags'),
    { match: r`(?<![^ \t])(?i:NONE)(?=[ \t\n])`, name: 'constant.language.none.dockerfile' },
    {
      name: 'meta.healthcheck-command.dockerfile',
      begin: r`(?<![^ \t])((?i:CMD))(?=[ \t]|${E}|$)`,
      beginCaptures: { 1: scoped('keyword.other.instruction.dockerfile') },
      end: NEVER,
      patterns: [inc('exec-form'), inc('shell')],
    },
  ]);

  const copyArguments = [
    ...heredocVariants(
      {
        prefix: '',
        restPatterns: [inc('strings'), inc('variables'), inc('escapes')],
        expandPatterns: [inc('variables')],
      },
      ['expand', 'literal'],
    ),
    inc('json-array'),
    inc('strings'),
    inc('variables'),
    inc('escapes'),
  ];
  rules[key('copy')] = instruction('copy', ['COPY', 'ADD'], [
    inc('flags'),
    argumentsRegion('copy', copyArguments),
  ]);

  const unquotedValue = {
    match: r`(?:[^ \t\n"'$${E}]|${E}[^\n])+`,
    name: 'string.unquoted.value.dockerfile',
    captures: { 0: { patterns: [inc('escapes')] } },
  };
  const keyValue = (keyScope) => ({
    match: r`(?<![^ \t])((?:[^ \t\n="'$${E}]|${E}[^\n])+|"(?:[^"${E}\n]|${E}[^\n])*"|'[^'\n]*')(=)`,
    captures: {
      1: { name: keyScope, patterns: [inc('strings'), inc('escapes')] },
      2: scoped('keyword.operator.assignment.dockerfile'),
    },
  });

  rules[key('env')] = instruction('env', ['ENV'], [
    argumentsRegion('env', [
      keyValue('variable.other.env.dockerfile'),
      {
        // The old `ENV KEY value with spaces` form: a first word without `=`.
        match: r`\G([^ \t\n="'$${E}]+)(?=[ \t]|\n)`,
        captures: { 1: scoped('variable.other.env.dockerfile') },
      },
      inc('strings'),
      inc('variables'),
      unquotedValue,
    ]),
  ]);

  rules[key('label')] = instruction('label', ['LABEL'], [
    argumentsRegion('label', [
      keyValue('entity.other.attribute-name.label.dockerfile'),
      inc('strings'),
      inc('variables'),
      unquotedValue,
    ]),
  ]);

  rules[key('arg')] = instruction('arg', ['ARG'], [
    {
      match: r`(?<![^ \t])([^ \t\n="'$${E}]+)(=)?`,
      captures: {
        1: scoped('variable.other.arg.dockerfile'),
        2: scoped('keyword.operator.assignment.dockerfile'),
      },
    },
    inc('strings'),
    inc('variables'),
    unquotedValue,
  ]);

  rules[key('expose')] = instruction('expose', ['EXPOSE'], [
    {
      match: r`(?<![^ \t])([0-9]+(?:-[0-9]+)?)(?:(/)([A-Za-z]+))?(?=[ \t\n])`,
      captures: {
        1: scoped('constant.numeric.port.dockerfile'),
        2: scoped('punctuation.separator.protocol.dockerfile'),
        3: scoped('constant.language.protocol.dockerfile'),
      },
    },
    inc('strings'),
    inc('variables'),
  ]);

  rules[key('shell-instruction')] = instruction('shell', ['SHELL'], [inc('exec-form')]);

  rules[key('other')] = instruction('other', ['VOLUME', 'WORKDIR', 'USER', 'STOPSIGNAL', 'MAINTAINER'], [
    inc('json-array'),
    inc('strings'),
    inc('variables'),
    inc('escapes'),
  ]);

  rules[key('onbuild')] = {
    // ONBUILD alone; ONBUILD followed by an instruction is part of that instruction's rule.
    match: r`^[ \t]*((?i:ONBUILD))(?=[ \t]|$)`,
    captures: { 1: scoped('keyword.other.instruction.onbuild.dockerfile') },
  };

  rules[key('instructions')] = {
    patterns: [
      'from', 'run', 'cmd', 'healthcheck', 'copy', 'env', 'label', 'arg', 'expose',
      'shell-instruction', 'other', 'onbuild',
    ].map(inc),
  };

  return rules;
}

function grammar() {
  const repository = {
    comment: {
      match: r`^[ \t]*((#).*)$`,
      captures: {
        1: scoped('comment.line.number-sign.dockerfile'),
        2: scoped('punctuation.definition.comment.dockerfile'),
      },
    },
    'directive-line': {
      match: r`^(#)[ \t]*((?i:syntax|escape|check))[ \t]*(=)[ \t]*(.*?)[ \t]*$`,
      name: 'meta.preprocessor.directive.dockerfile',
      captures: {
        1: scoped('punctuation.definition.directive.dockerfile'),
        2: scoped('keyword.control.directive.dockerfile'),
        3: scoped('keyword.operator.assignment.dockerfile'),
        4: scoped('string.unquoted.directive-value.dockerfile'),
      },
    },
    // Parser directives count only in the first lines, before any comment, blank line or
    // instruction. The block opens only on the document's first line (\A; vscode-textmate lets
    // \A match on the first line only) and closes at the first line that is not a directive.
    directives: {
      begin: r`\A(?=${DIRECTIVE})`,
      end: r`^(?!${DIRECTIVE})`,
      patterns: [{ include: '#escape-backtick' }, { include: '#directive-line' }],
    },
    // `# escape=`` ` switches the rest of the file to the backtick rules (this never ends).
    'escape-backtick': {
      name: 'meta.escape.backtick.dockerfile',
      begin: r`^(?=#[ \t]*(?i:escape)[ \t]*=[ \t]*` + '`' + r`[ \t]*$)`,
      end: NEVER,
      patterns: [
        {
          begin: r`\G`,
          end: r`^(?!${DIRECTIVE})`,
          patterns: [{ include: '#directive-line' }],
        },
        { include: '#comment' },
        { include: '#instructions-backtick' },
      ],
    },
    ...sharedRules(),
    ...rulesFor('\\', ''),
    ...rulesFor('`', '-backtick'),
  };
  return {
    information_for_contributors: [
      'Generated from syntaxes/src/dockerfile.grammar.js by scripts/build-grammar.js: edit the source, then rebuild.',
    ],
    name: 'Dockerfile (Dockerlens)',
    scopeName: 'source.dockerfile.dockerlens',
    patterns: [{ include: '#directives' }, { include: '#comment' }, { include: '#instructions' }],
    repository,
    // "L:" injections win over the patterns of whatever rule is open where they apply, embedded
    // shell rules included.
    injections: {
      'L:meta.instruction - meta.heredoc.body - meta.escape.backtick': {
        patterns: [{ include: '#continuation' }],
      },
      'L:meta.escape.backtick meta.instruction - meta.heredoc.body': {
        patterns: [{ include: '#continuation-backtick' }],
      },
      // R: (not L:) so that rules of the embedded shell that end at the end of the line still
      // end there; only a rule still open at the "\n" gets the carrier pushed on top of it.
      'R:meta.heredoc.body': {
        patterns: [{ include: '#heredoc-line-end' }],
      },
      'L:meta.instruction meta.embedded.block.shell - meta.heredoc - string - comment': {
        patterns: [{ include: '#shell-heredocs' }, { include: '#shell-comment' }],
      },
    },
  };
}

module.exports = { grammar, INSTRUCTIONS };
