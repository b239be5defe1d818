import { Lexer, type Token, type Tokens } from 'marked';
import type { Style } from './style.js';
import { width, wrapFlat } from './text.js';

/*
 * Lessons are Markdown; the terminal gets them rendered to lines of a given width: headings in
 * bold, emphasis, `code` in colour, fenced blocks indented and never reflowed (diagrams keep their
 * shape), lists with hanging indents, tables aligned when they fit and one record per row when
 * they do not, links clickable (OSC 8) with their address where the terminal cannot click.
 *
 * marked's lexer does the parsing (CommonMark + GFM tables, a kept library with no dependencies);
 * the layout is ours because it has to be: our pager scrolls lines already fitted to the width,
 * and marked-terminal would bring highlight.js and chalk and hand back pre-wrapped ANSI strings to
 * measure again. Pure: text in, lines out, so it is tested as a table and works without colour.
 */

export interface MarkdownOptions {
  style: Style;
  /** An OSC 8 link for `url` showing `text`, or undefined where the terminal cannot click. */
  hyperlink?: (url: string, text: string) => string | undefined;
}

type Inline = Token;

function inline(tokens: readonly Inline[] | undefined, o: MarkdownOptions): string {
  let out = '';
  for (const t of tokens ?? []) out += inlineOne(t, o);
  return out;
}

function inlineOne(t: Inline, o: MarkdownOptions): string {
  const s = o.style;
  switch (t.type) {
    case 'strong':
      return s.bold(inline((t as Tokens.Strong).tokens, o));
    case 'em':
      // No italic in every terminal: emphasis is bold's quieter sibling, kept readable without colour.
      return s.yellow(inline((t as Tokens.Em).tokens, o));
    case 'codespan':
      return s.cyan(decodeEntities((t as Tokens.Codespan).text));
    case 'del':
      return s.dim(inline((t as Tokens.Del).tokens, o));
    case 'br':
      // A hard break; hanging() splits on it.
      return '\n';
    case 'link': {
      const link = t as Tokens.Link;
      const text = inline(link.tokens, o);
      const clickable = o.hyperlink?.(link.href, text);
      if (clickable) return clickable;
      return link.href === link.text || /^#/.test(link.href) ? text : `${text} (${link.href})`;
    }
    case 'image':
      return `[image: ${(t as Tokens.Image).text}]`;
    case 'text': {
      const text = t as Tokens.Text;
      // A soft line break in the source is a space: paragraphs are reflowed to the terminal's width.
      return text.tokens ? inline(text.tokens, o) : decodeEntities(text.text).replace(/\n/g, ' ');
    }
    case 'escape':
      return (t as Tokens.Escape).text;
    case 'html':
      return (t as Tokens.HTML).text.replace(/<[^>]+>/g, '');
    default:
      return 'raw' in t ? String(t.raw) : '';
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decodeEntities = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]!);

/** Wraps `text` at `cols`, the first line after `first`, the others after `rest` (a hanging indent). */
function hanging(text: string, cols: number, first: string, rest: string): string[] {
  const room = Math.max(10, cols - width(rest));
  const lines = text.split('\n').flatMap((l) => wrapFlat(l, room));
  return lines.map((l, i) => `${i === 0 ? first : rest}${l}`);
}

function block(t: Token, cols: number, o: MarkdownOptions): string[] {
  const s = o.style;
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const text = inline(h.tokens, o);
      const lines = hanging(text, cols, '', '').map((l) => s.bold(l));
      // A rule under the top headings: without colour, that is what tells a heading from text.
      if (h.depth <= 2) lines.push(s.dim((h.depth === 1 ? '═' : '─').repeat(Math.min(cols, Math.max(...lines.map(width))))));
      return lines;
    }
    case 'paragraph':
      return hanging(inline((t as Tokens.Paragraph).tokens, o), cols, '', '');
    case 'text': {
      const text = t as Tokens.Text;
      return hanging(text.tokens ? inline(text.tokens, o) : decodeEntities(text.text).replace(/\n/g, ' '), cols, '', '');
    }
    case 'code':
      return codeBlock((t as Tokens.Code).text, cols, s);
    case 'blockquote':
      return blocks((t as Tokens.Blockquote).tokens, cols - 2, o).map((l) => `${s.dim('│')} ${l}`);
    case 'list':
      return list(t as Tokens.List, cols, o);
    case 'table':
      return table(t as Tokens.Table, cols, o);
    case 'hr':
      return [s.dim('─'.repeat(cols))];
    case 'space':
      return [];
    case 'html':
      return hanging((t as Tokens.HTML).text.replace(/<[^>]+>/g, '').trim(), cols, '', '');
    default:
      return 'raw' in t ? hanging(String(t.raw).trimEnd(), cols, '', '') : [];
  }
}

/**
 * A diagram or a program: its shape is its meaning, so it is never reflowed. A block wider than
 * the terminal is broken at the edge (nothing of it is lost), with a line saying how wide it is.
 */
function codeBlock(text: string, cols: number, s: Style): string[] {
  const lines = text.replace(/\t/g, '    ').split('\n');
  const widest = Math.max(...lines.map(width));
  const room = cols - 2;
  if (widest <= room) return lines.map((l) => `  ${s.cyan(l)}`);
  const out = hanging(`(wider than the screen: ↪ continues a line)`, cols, '  ', '  ').map((l) => s.dim(l));
  for (const line of lines) {
    let rest = line;
    let first = true;
    do {
      const piece = cut(rest, first ? room : room - 2);
      out.push(first ? `  ${s.cyan(piece)}` : `  ${s.dim('↪')} ${s.cyan(piece)}`);
      rest = rest.slice(piece.length);
      first = false;
    } while (rest.length > 0);
  }
  return out;
}

/**
 * The longest start of `line` (plain text) that fits in `cols` columns, ending after a space
 * when one is in the second half (so words stay whole where they can).
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function cut(line: string, cols: number): string {
  let out = '';
  for (const { segment } of graphemes.segment(line)) {
    if (width(out + segment) > cols) break;
    out += segment;
  }
  if (out.length === 0) return line.slice(0, 1);
  if (out.length === line.length) return out;
  const space = out.lastIndexOf(' ');
  return space >= out.length / 2 ? out.slice(0, space + 1) : out;
}

function list(l: Tokens.List, cols: number, o: MarkdownOptions): string[] {
  const out: string[] = [];
  const start = typeof l.start === 'number' ? l.start : 1;
  const marks = l.items.map((item, i) => (item.task ? (item.checked ? '[x] ' : '[ ] ') : '') + (l.ordered ? `${start + i}. ` : '• '));
  const pad = Math.max(...marks.map((m) => m.length));
  for (const [i, item] of l.items.entries()) {
    const mark = marks[i]!.padEnd(pad);
    const body = blocks(item.tokens, cols - pad, o, !l.loose);
    body.forEach((line, j) => out.push(`${j === 0 ? mark : ' '.repeat(pad)}${line}`));
    if (l.loose && i < l.items.length - 1) out.push('');
  }
  return out;
}

function table(t: Tokens.Table, cols: number, o: MarkdownOptions): string[] {
  const s = o.style;
  const head = t.header.map((c) => inline(c.tokens, o));
  const rows = t.rows.map((r) => r.map((c) => inline(c.tokens, o)));
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const gap = ' │ ';
  const total = widths.reduce((n, w) => n + w, 0) + gap.length * (widths.length - 1);
  const cell = (text: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - width(text)));
    return t.align[i] === 'right' ? fill + text : text + fill;
  };
  if (total <= cols) {
    const line = (cells: string[]) => cells.map(cell).join(s.dim(gap)).trimEnd();
    return [s.bold(line(head)), s.dim(widths.map((w) => '─'.repeat(w)).join('─┼─')), ...rows.map(line)];
  }
  // Too wide to align: each row as a small record, "header: value", so no cell is cut.
  const out: string[] = [];
  for (const [r, row] of rows.entries()) {
    if (r > 0) out.push('');
    for (const [i, value] of row.entries()) {
      const label = head[i] ? `${s.bold(head[i]!)}: ` : '';
      out.push(...hanging(`${label}${value}`, cols, i === 0 ? '' : '  ', '  '));
    }
  }
  return out;
}

function blocks(tokens: readonly Token[], cols: number, o: MarkdownOptions, tight = false): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const lines = block(t, cols, o);
    if (lines.length === 0) continue;
    // Blocks are set apart by one blank line; the items of a tight list are not.
    if (out.length > 0 && !(tight && (t.type === 'text' || t.type === 'list'))) out.push('');
    out.push(...lines);
  }
  return out;
}

/** `markdown` rendered as lines of at most `cols` columns (colour per `style`; none with plainStyle). */
export function renderMarkdown(markdown: string, cols: number, o: MarkdownOptions): string[] {
  const width = Math.max(20, cols);
  return blocks(Lexer.lex(markdown), width, o);
}
