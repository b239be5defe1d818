import { parseArgs } from 'node:util';
import { isUserError, UserError } from './core/errors.js';
import { accessUserError } from './node/fs-errors.js';
import { trace } from './node/trace.js';
import type { Command } from './commands/command.js';
import { processCtx } from './commands/context.js';
import { devCheckCommand, devNewCommand } from './commands/dev.js';
import { gradeCommand } from './commands/grade.js';
import { hintCommand } from './commands/hint.js';
import { initCommand } from './commands/init.js';
import { listCommand } from './commands/list.js';
import { resetCommand, undoResetCommand } from './commands/reset.js';
import { runCommand } from './commands/run.js';
import { solutionCommand } from './commands/solution.js';
import { startCommand, statusCommand } from './commands/start.js';
import { updateCommand } from './commands/update.js';
import { verifyCommand } from './commands/verify.js';
import { killAllHosts } from './node/engine/index.js';
import { packageInfo } from './node/package-root.js';
import { keyHelp } from './ui/keys.js';
import { styleFor } from './ui/style.js';

const COMMANDS: Command[] = [
  startCommand,
  statusCommand,
  initCommand,
  runCommand,
  hintCommand,
  listCommand,
  resetCommand,
  undoResetCommand,
  solutionCommand,
  verifyCommand,
  updateCommand,
  gradeCommand,
  devCheckCommand,
  devNewCommand,
];

export function mainHelp(): string {
  const rows = COMMANDS.filter((c) => c.name !== '').map((c) => `  ${c.name.padEnd(12)} ${c.summary}`);
  return [
    `async-lessons ${packageInfo().version} — asynchronous programming, Rust's model, practised in TypeScript`,
    '',
    'Usage: async-lessons [command] [options]',
    '',
    '  (none)       in a workspace: continue; elsewhere: set one up (asks first)',
    ...rows,
    '',
    'Watch mode (no command, in a workspace) options:',
    '  --plain         appended lines, no cursor movement (default without a terminal)',
    '  --poll          watch by polling: WSL under /mnt, network drives, containers',
    '  --manual-run    check only when you press r',
    '  --edit-cmd CMD  what o opens the file with (a shell command; the path is added)',
    '',
    'Watch mode keys:',
    ...keyHelp('exercise'),
    '  Ctrl-C   quit at once (exit 130; progress is kept)',
    'In the list (l):',
    ...keyHelp('list'),
    '',
    'Every command takes --help. Exit codes: 0 success, 1 a check failed, 2 usage or user error,',
    '3 a bug in async-lessons, 130 stopped by Ctrl-C (in watch mode too).',
  ].join('\n');
}

const commandHelp = (c: Command) => [`Usage: ${c.usage}`, '', `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`, ...(c.details ? ['', c.details] : [])].join('\n');

function findCommand(argv: string[]): { command: Command; rest: string[] } {
  const [first, second] = argv;
  if (first === 'dev') {
    const sub = COMMANDS.find((c) => c.name === `dev ${second}`);
    if (!sub) throw new UserError(second ? `Unknown dev command "${second}".` : 'Which dev command?', { next: 'Try `async-lessons dev check` or `async-lessons dev new <dir>`.', code: 'USAGE' });
    return { command: sub, rest: argv.slice(2) };
  }
  if (first === undefined || first.startsWith('-')) return { command: startCommand, rest: argv };
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) throw new UserError(`Unknown command "${first}".`, { next: 'Run `async-lessons --help` to see the commands.', code: 'USAGE' });
  return { command, rest: argv.slice(1) };
}

export async function main(argv: string[]): Promise<number> {
  const style = styleFor(process.stdout, process.env);
  const ctx = processCtx(style);
  try {
    if (process.platform === 'win32') {
      throw new UserError('async-lessons does not run on native Windows: its check engine needs POSIX process groups.', {
        next: 'Use WSL (Windows Subsystem for Linux), where it is supported.',
        code: 'PLATFORM',
      });
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      ctx.print(packageInfo().version);
      return 0;
    }
    if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      ctx.print(mainHelp());
      return 0;
    }
    const { command, rest } = findCommand(argv);
    if (rest.includes('--help') || rest.includes('-h')) {
      ctx.print(command === startCommand ? mainHelp() : commandHelp(command));
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UserError(String((error as Error).message), { next: `Usage: ${command.usage}`, code: 'USAGE' });
    }
    const { min, max } = command.args;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UserError(parsed.positionals.length > max ? `Too many arguments: ${parsed.positionals.slice(max).join(' ')}` : 'Missing an argument.', {
        next: `Usage: ${command.usage}`,
        code: 'USAGE',
      });
    }
    trace(`command ${command.name}: start`);
    return await command.run(ctx, parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (caught) {
    const error = accessUserError(caught, { cwd: ctx.cwd }) ?? caught;
    if (isUserError(error)) {
      ctx.warn(style.red(error.message));
      if (error.next) ctx.warn(error.next);
      return error.exitCode;
    }
    const err = error as Error;
    ctx.warn(style.red(`async-lessons ${packageInfo().version} hit a bug (this is not your fault):`));
    ctx.warn(err?.stack ?? String(error));
    ctx.warn(`Node ${process.version} on ${process.platform}. Please report it with the lines above.`);
    return 3;
  }
}

/** The process around main(): called by the bin (launcher.ts), never when a test imports main(). */
export function runCli(): void {
  // `async-lessons list | head` closes the pipe early: that is the reader's choice, not a bug.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      killAllHosts();
      process.exit(0);
    });
  }
  // Check hosts run in process groups of their own, out of reach of the terminal's Ctrl-C.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAllHosts();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`async-lessons: unexpected failure: ${String((error as Error)?.stack ?? error)}\n`);
      process.exitCode = 3;
    },
  );
}
