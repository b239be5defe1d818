// How the learner started us decides which command our messages suggest: after `npx async-lessons`
// there is no `async-lessons` on PATH, so telling them to type it would send them to a dead end.
// Tried by hand (npm 11, Node 20): `npx <pkg>` and `npm exec <pkg>` both set npm_command=exec and
// npm_lifecycle_event=npx, and the bin runs from ~/.npm/_npx/<hash>/node_modules/.bin; a global
// install sets none of these. Any one of the three is taken as npx, so a future npm dropping one
// still names the command right.

import { packageInfo } from './package-root.js';

export type CommandName = 'npx async-lessons' | 'async-lessons';

export function commandName(env: Record<string, string | undefined>, argv1: string | undefined = process.argv[1]): CommandName {
  if (env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx') return 'npx async-lessons';
  if (argv1 !== undefined && /[\\/]_npx[\\/]/.test(argv1)) return 'npx async-lessons';
  return 'async-lessons';
}

/**
 * Every message names commands as `async-lessons …` in backticks; this rewrites them to the
 * command the learner actually has. Done where lines are printed, so messages made deep in the
 * engine or the file-system layer are named right without each knowing how we were started.
 */
export function nameCommands(text: string, name: CommandName): string {
  if (name === 'async-lessons') return text;
  return text.replace(/`async-lessons(?=[ `])/g, `\`${name}`);
}

/** The one-line global install, offered at the end of setup to whoever came through npx. */
export function globalInstallHint(env: Record<string, string | undefined>, argv1: string | undefined = process.argv[1]): string | undefined {
  if (commandName(env, argv1) !== 'npx async-lessons') return undefined;
  // From a tarball npx unpacks it into its cache, so the package name alone would fetch from the registry.
  // No backticks around the bare name: nameCommands would turn it back into `npx async-lessons`.
  return [
    'To type just async-lessons, without npx and its few seconds each time, install',
    `it once: \`npm i -g async-lessons\` (or \`npm i -g ./async-lessons-${packageInfo().version}.tgz\`).`,
  ].join('\n');
}
