import path from 'node:path';
import { UserError } from '../core/errors.js';
import { exists, writeFileAtomic } from '../node/fs-utils.js';
import { isEmptyDir } from './init.js';
import type { Command } from './command.js';

// The scaffold is a real, working course: `dev check` passes on it as written, so an author starts
// from something green and sees each moving part (manifest, exercise, check, solution, wrong answer).
const FILES: Record<string, string> = {
  'info.toml': `format_version = 1
name = "my-course"
version = "0.1.0"
welcome_message = "Welcome! Edit the exercise files; each save is checked."
final_message = "You finished every exercise."

[[exercises]]
name = "double"
dir = "01_example"
kind = "runtime"
rust = "async fn double(n: i32) -> i32 { n * 2 }"
chapter = "An example exercise"
hint = [
  "An async function returns a promise of whatever you return.",
  "Return n * 2.",
]
`,
  'exercises/01_example/README.md': `# 01 example

Each topic folder has a lesson like this one. The runner shows it when a
learner reaches the topic.
`,
  'exercises/01_example/double.ts': `// Goal: \`double(n)\` resolves to twice n.
// TODO: return the right value.
// Rust equivalent: async fn double(n: i32) -> i32 { n * 2 }

export async function double(n: number): Promise<number> {
  return n;
}
`,
  'exercises/01_example/double.test.ts': `import { expect, test } from 'vitest';
import { double } from './double';

test('doubles a positive number', async () => {
  expect(await double(21), 'double(21) should resolve to 42').toBe(42);
});

test('doubles a negative number', async () => {
  expect(await double(-4), 'double(-4) should resolve to -8').toBe(-8);
});
`,
  'solutions/01_example/double.ts': `// An async function wraps its return value in a resolved promise.
export async function double(n: number): Promise<number> {
  return n * 2;
}
`,
  'wrong-answers/double/hard_coded.ts': `// @rejects doubles a negative number
// Hard-codes the one value the first test asks for.
export async function double(_n: number): Promise<number> {
  return 42;
}
`,
};

export const devNewCommand: Command = {
  name: 'dev new',
  summary: 'for course authors: scaffold a new course with one working example exercise',
  usage: 'async-lessons dev new <dir>',
  options: {},
  args: { min: 1, max: 1 },
  async run(ctx, { positionals }) {
    const dir = path.resolve(ctx.cwd, positionals[0]!);
    if ((await exists(dir)) && !(await isEmptyDir(dir))) {
      throw new UserError(`${dir} is not empty; a new course needs an empty folder.`, { next: 'Choose a new folder name.', code: 'WOULD_OVERWRITE' });
    }
    for (const [rel, content] of Object.entries(FILES)) await writeFileAtomic(path.join(dir, rel), content);
    const rel = path.relative(ctx.cwd, dir) || '.';
    ctx.print(`Created a course in ${rel} with one example exercise.`);
    ctx.print(`Next: cd ${rel} && async-lessons dev check   (proves it: unsolved fails, solution passes, wrong answer rejected)`);
    return 0;
  },
};
