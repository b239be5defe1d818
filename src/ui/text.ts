import stringWidth from 'string-width';

// Terminal width is not string length: CJK and most emoji take two columns, combining marks
// none, and colour codes and OSC 8 links none at all. string-width knows, and it is what Ink
// itself measures with, so a line we call "80 wide" is 80 wide to Ink too.
export const width = (s: string): number => stringWidth(s);

// SGR colour codes and OSC 8 hyperlinks (opening `ESC]8;;url BEL`, closing `ESC]8;; BEL`).
const CONTROL = /(\u001b\[[0-9;]*m|\u001b\]8;;[^\u0007]*\u0007)/;
const LINK_CLOSE = '\u001b]8;;\u0007';
const RESET = '\u001b[0m';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

interface Token {
  text: string;
  /** Columns it takes; 0 for control sequences. */
  cols: number;
  control: boolean;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const part of line.split(CONTROL)) {
    if (part === '') continue;
    if (part.startsWith('\u001b')) out.push({ text: part, cols: 0, control: true });
    else for (const { segment } of graphemes.segment(part)) out.push({ text: segment, cols: stringWidth(segment), control: false });
  }
  return out;
}

/** What must be written after a cut so colour and links do not bleed into the next line. */
function closing(ts: Token[]): string {
  let link = false;
  let styled = false;
  for (const t of ts) {
    if (!t.control) continue;
    if (t.text.startsWith('\u001b]8;;')) link = t.text !== LINK_CLOSE;
    else styled = true;
  }
  return `${link ? LINK_CLOSE : ''}${styled ? RESET : ''}`;
}

/** Cuts a styled line to `cols` visible columns, with "…" where it was cut. */
export function fit(line: string, cols: number): string {
  if (width(line) <= cols) return line;
  let out = '';
  let shown = 0;
  const ts = tokens(line);
  const kept: Token[] = [];
  for (const t of ts) {
    if (!t.control && shown + t.cols > cols - 1) break;
    kept.push(t);
    out += t.text;
    shown += t.cols;
  }
  return `${out}…${closing(kept)}`;
}

/**
 * Wraps a styled line to `cols` columns at spaces (mid-word only when a word is wider than the
 * line). Continuation lines keep the line's indent plus two spaces, so a wrapped item still reads
 * as one; colour and links are closed at each break and opened again on the next line.
 */
export function wrapLine(line: string, cols: number): string[] {
  if (width(line) <= cols) return [line];
  const ts = tokens(line);
  const lead = /^ */.exec(line.replace(new RegExp(CONTROL.source, 'g'), ''))![0].length;
  const indent = ' '.repeat(Math.min(lead + 2, Math.max(0, cols - 10)));
  const out: string[] = [];
  let cur: Token[] = [];
  let curCols = 0;
  // Every control sequence so far, replayed at the start of a continuation line.
  const controls: Token[] = [];
  let lastSpace = -1;
  const flush = (upTo: number) => {
    const line = cur.slice(0, upTo);
    out.push(line.map((t) => t.text).join('').trimEnd() + closing(controls));
  };
  for (const t of ts) {
    if (t.control) {
      controls.push(t);
      cur.push(t);
      continue;
    }
    if (curCols + t.cols > cols && curCols > indent.length) {
      let carry: Token[] = [];
      if (t.text === ' ') flush(cur.length);
      else if (lastSpace > 0) {
        carry = cur.slice(lastSpace + 1);
        flush(lastSpace);
      } else flush(cur.length);
      const replay = controls.map((c) => c.text).join('');
      cur = [{ text: replay, cols: 0, control: true }, { text: indent, cols: indent.length, control: false }, ...carry.filter((c) => !c.control)];
      curCols = cur.reduce((n, c) => n + c.cols, 0);
      lastSpace = -1;
      if (t.text === ' ') continue;
    }
    cur.push(t);
    curCols += t.cols;
    if (t.text === ' ' && curCols > indent.length + 1) lastSpace = cur.length - 1;
  }
  if (cur.some((t) => !t.control && t.text.trim() !== '')) out.push(cur.map((t) => t.text).join(''));
  return out;
}

export const wrapLines = (lines: string[], cols: number): string[] => lines.flatMap((l) => wrapLine(l, cols));

/** wrapLine without its hanging indent: for callers that indent (or do not) themselves. */
export const wrapFlat = (line: string, cols: number): string[] => wrapLine(line, cols).map((l, i) => (i === 0 ? l : l.replace(/^ {1,2}/, '')));

/**
 * Prose reflowed to `cols` columns: lines of a paragraph join with spaces, blank lines keep
 * paragraphs apart. For what is printed before any screen exists (the set-up question), where the
 * terminal would otherwise cut words in two.
 */
export function reflow(text: string, cols: number): string[] {
  return text.split(/\n\s*\n/).flatMap((para, i) => [...(i > 0 ? [''] : []), ...wrapFlat(para.split(/\s+/).filter(Boolean).join(' '), cols)]);
}
