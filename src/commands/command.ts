import type { ParseArgsConfig } from 'node:util';
import type { Ctx } from './context.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** One CLI command: its words, its help, and what it does. Exit codes: 0 ok, 1 a check failed, 2 user error. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  details?: string;
  options: Options;
  args: { min: number; max: number };
  run(ctx: Ctx, parsed: Parsed): Promise<number>;
}

export const courseOption = { course: { type: 'string' } } as const satisfies Options;
export const jsonOption = { json: { type: 'boolean' } } as const satisfies Options;
