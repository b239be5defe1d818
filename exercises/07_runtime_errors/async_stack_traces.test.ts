import { expect, test, vi } from 'vitest';
import { banned, pristine, seeded, SEEDS, type Rng } from 'async-lessons/harness';
import { callChain, finished, handle, loadUser, type Db, type Row } from './async_stack_traces';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

// The stack formatter in place before the learner's module loaded (Node's or vitest's). A module
// that installs its own Error.prepareStackTrace could write any frames it likes into a stack, so
// stacks are read with this one. (It is not a watched built-in: vitest sets it itself.)
const formatter = vi.hoisted(() => ({ prepare: Error.prepareStackTrace, define: Reflect.defineProperty, remove: Reflect.deleteProperty, describe: Reflect.getOwnPropertyDescriptor }));

/** `e.stack` as V8 formats it with the formatter from before the learner's module (read once, then cached by V8). */
function stackOf(e: Error): string {
  const now = formatter.describe(Error, 'prepareStackTrace');
  if (!formatter.define(Error, 'prepareStackTrace', { value: formatter.prepare, writable: true, configurable: true })) {
    return '(the stack could not be read: something locked Error.prepareStackTrace; leave the stack formatter alone)';
  }
  try {
    return String(e.stack);
  } finally {
    if (now === undefined) formatter.remove(Error, 'prepareStackTrace');
    else formatter.define(Error, 'prepareStackTrace', now);
  }
}

/**
 * A database that fails after a real pause, so nothing of the caller is left on the machine stack.
 * It records the error it threw and that error's stack as it was when thrown: the async frames V8
 * lists are fixed at that moment, by which functions were suspended in an await.
 */
class TestDb implements Db {
  thrown: Error | undefined;
  stackAtThrow = '';
  events: string[] = [];
  beforeSettle: () => void = () => {};
  readonly fail: boolean;
  readonly name: string;
  constructor(fail: boolean, name = 'ada') {
    this.fail = fail;
    this.name = name;
  }
  async fetchRow(id: number): Promise<Row> {
    this.events.push('fetch');
    await tick();
    this.beforeSettle();
    if (!this.fail) {
      this.events.push('row');
      return { id, name: `  ${this.name} ` };
    }
    const e = new Error('db down');
    this.thrown = e;
    this.stackAtThrow = stackOf(e);
    this.events.push('throw');
    throw e;
  }
}

/** Frames of `stack` that name one of `names`, in order (the check's own reading, kept minimal). */
function ours(stack: string, names: string[]): string[] {
  const out: string[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:async )?(?:[\w$]+\.)?([\w$]+) \(/.exec(line);
    if (m !== null && names.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

async function failing(id: number) {
  const db = new TestDb(true);
  let err: unknown;
  try {
    await handle(db, id);
  } catch (e) {
    err = e;
  }
  return { db, err };
}

test('the failure says which user, and keeps the original error as its cause', async () => {
  for (const seed of SEEDS) {
    const id = seeded(seed).int(1, 99999);
    const { db, err } = await failing(id);
    expect(err instanceof Error, 'handle should reject with an Error').toBe(true);
    const e = err as Error;
    expect(e.message, `the error should say "load user ${id} failed" (seed ${seed})`).toBe(`load user ${id} failed`);
    expect(
      pristine.Object.is(e.cause, db.thrown),
      'its cause should be the very error fetchRow threw (new Error(message, { cause })), not a copy or a message',
    ).toBe(true);
    expect(db.thrown?.stack, "the original error's stack is evidence: leave it as it was thrown").toBe(db.stackAtThrow);
  }
});

test("the original error's stack keeps loadUser and handle", async () => {
  const { db } = await failing(42);
  const chain = ours(db.stackAtThrow, ['fetchRow', 'loadUser', 'handle']);
  expect(
    chain,
    'when fetchRow threw, its stack should read fetchRow, then async loadUser, then async handle. ' +
      `It read:\n${db.stackAtThrow}\n` +
      'A function that returned a promise (`return p`, `.then(…)`) instead of awaiting it is no longer suspended, so V8 cannot list it.',
  ).toEqual(['fetchRow', 'loadUser', 'handle']);
});

test("the wrapper's own stack starts in loadUser and reaches handle", async () => {
  const { err } = await failing(7);
  const stack = err instanceof Error ? stackOf(err) : String(err);
  expect(ours(stack, ['loadUser', 'handle']), `the "load user … failed" error is made in loadUser, awaited by handle; its stack read:\n${stack}`).toEqual([
    'loadUser',
    'handle',
  ]);
});

test("handle's finally runs after the load has settled", async () => {
  for (const fail of [true, false]) {
    const db = new TestDb(fail);
    const id = 1000 + finished.length;
    let early = false;
    db.beforeSettle = () => {
      early = finished.includes(id);
    };
    await handle(db, id).catch(() => undefined);
    expect(
      early,
      `${fail ? 'a failing' : 'a successful'} load: handle's finally ran before the load finished. ` +
        '`return loadUser(…)` inside try leaves the function at once; `return await loadUser(…)` stays until it settles.',
    ).toBe(false);
    expect(finished.includes(id), 'and the finally does run').toBe(true);
  }
});

test('a successful load gives the parsed user', async () => {
  for (const seed of SEEDS.slice(0, 3)) {
    const id = seeded(seed).int(1, 999);
    const name = `n${seed}`;
    expect(await handle(new TestDb(false, name), id), 'handle should resolve to the parsed row').toEqual({ id, name });
    expect(await loadUser(new TestDb(false, name), id), 'and so should loadUser').toEqual({ id, name });
  }
});

const ID = () => 'abcdefghijklmnopqrstuvwxyz';
function ident(rng: Rng): string {
  return Array.from({ length: rng.int(3, 9) }, () => ID()[rng.int(0, 25)]).join('');
}

test('callChain reads frames as function names, innermost first', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const [a, b, c, d, e] = [ident(rng), ident(rng), ident(rng), ident(rng), ident(rng)];
    const file = `file:///home/${ident(rng)}/src/${ident(rng)}.ts`;
    const at = () => `${file}:${rng.int(1, 300)}:${rng.int(1, 80)}`;
    const lines: Array<[string, string | undefined]> = [
      [`Error: ${ident(rng)} failed`, undefined],
      [`    at ${a.toUpperCase()}Db.${a} (${at()})`, a],
      [`    at async ${b} (${at()})`, b],
      [`    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`, undefined],
      [`    at async Promise.all (index ${rng.int(0, 4)})`, 'all'],
      [`    at new ${c} (${at()})`, c],
      [`    at Object.${d} [as ${e}] (${at()})`, d],
      [`    at Object.<anonymous> (${at()})`, '<anonymous>'],
      [`    at ${at()}`, '<anonymous>'],
      [`    at async ${at()}`, '<anonymous>'],
      [`    at node:internal/main/run_main_module:28:49`, undefined],
      [`    at async ${e} (${at()})`, e],
      [`    at Object.${b}.${c}.${a} (${at()})`, a],
      [`    at ${d} (file:///srv/node_modules/${ident(rng)}/index.js:${rng.int(1, 99)}:${rng.int(1, 9)})`, d],
      [`    at async node:internal/modules/esm/module_job:${rng.int(100, 300)}:5`, undefined],
      // Node indents the stack of an error's cause further when it prints the chain.
      [`        at ${c} (${at()})`, c],
      [`  at async ${b} (${at()})`, b],
      [`at ${e} (${at()})`, e],
    ];
    const stack = lines.map(([l]) => l).join('\n');
    expect(callChain(stack), `callChain of this stack (seed ${seed}):\n${stack}`).toEqual(lines.flatMap(([, n]) => (n === undefined ? [] : [n])));
  }
  expect(callChain('Error: no frames at all'), 'a stack with no frames has no names').toEqual([]);
});

test('callChain reads a real async stack', async () => {
  const { db } = await failing(3);
  const chain = callChain(db.stackAtThrow);
  expect(chain[0], `the innermost frame of the db error is fetchRow; callChain gave ${JSON.stringify(chain)}`).toBe('fetchRow');
  expect(chain.filter((n) => n === 'loadUser' || n === 'handle'), 'then loadUser and handle, in that order').toEqual(['loadUser', 'handle']);
  expect(chain.some((n) => n.includes(' ') || n.includes('(') || n.includes('/')), `names only, no locations: ${JSON.stringify(chain)}`).toBe(false);
});

test('no any, casts or ts directives', () => {
  const findings = banned(new URL('./async_stack_traces.ts', import.meta.url), ['any', 'as', 'ts-directives']);
  expect(findings, findings.join('\n')).toEqual([]);
});
