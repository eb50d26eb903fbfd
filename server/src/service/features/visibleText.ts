/**
 * Text from a workspace (file names, instructions, image names) as a terminal or a panel can show
 * it without being steered by it: C0 and C1 controls, DEL, bidi marks, overrides and isolates and
 * zero-width characters become visible escapes (`\n`, `\u{1b}`, `\u{202e}`), as `ls` does, so an
 * escape sequence cannot recolour or rewrite the screen and `invoice\u202Efdp.exe` cannot pose as
 * `invoiceexe.pdf`. Pure: the CLI, the hover and the webview's presenters share it.
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const INVISIBLE_BUT_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every control and direction character escaped; with `keepLineBreaks`, `\n` stays
 * (for a whole report whose own lines are made of it; names inside it are escaped one by one).
 */
export function escapeControls(text: string, keepLineBreaks = false): string {
  return text.replace(keepLineBreaks ? INVISIBLE_BUT_LINES : INVISIBLE, (c) => ESCAPES[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
