/** Colour only for a terminal that wants it: NO_COLOR (any value) or a pipe turns it off. */
export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const colourStyle: Style = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

const id = (s: string) => s;
export const plainStyle: Style = { red: id, green: id, yellow: id, cyan: id, dim: id, bold: id };

export function styleFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plainStyle;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return colourStyle;
  return stream.isTTY ? colourStyle : plainStyle;
}
