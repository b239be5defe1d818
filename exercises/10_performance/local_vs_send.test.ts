import { expect, test } from 'vitest';
import { SEEDS, banned, seeded } from 'async-lessons/harness';
import { Pending, Ready, type Future, type Poll } from '../_lib/future';
import { JoinHandle, LocalExecutor, MultiThreadExecutor } from './local_vs_send';

/** Ready with `value` on its `after`-th poll. */
function readyAfter<T>(after: number, value: T): Future<T> & { polls: number } {
  const f = {
    polls: 0,
    poll(): Poll<T> {
      f.polls += 1;
      return f.polls >= after ? Ready(value) : Pending;
    },
  };
  return f;
}

test('spawn and spawnLocal return handles that give the output', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const mt = new MultiThreadExecutor();
    const local = new LocalExecutor();
    const values = Array.from({ length: rng.int(2, 6) }, () => rng.int(0, 1000));
    const afters = values.map(() => rng.int(1, 4));
    const futs = values.map((v, i) => readyAfter(afters[i] ?? 1, v));
    const handles = futs.map((f, i) => (i % 2 === 0 ? mt.spawn(f) : local.spawnLocal(f)));
    expect(
      handles.map((h) => h instanceof JoinHandle),
      'spawn and spawnLocal should return the JoinHandle that this.start(fut) gives back',
    ).toEqual(handles.map(() => true));
    expect(handles.every((h) => !h.finished), 'nothing runs before run()').toBe(true);
    mt.run();
    local.run();
    expect(
      handles.map((h) => h.poll()),
      `each handle should be Ready with its task's value once the executor has run (seed ${seed})`,
    ).toEqual(values.map((v) => ({ ready: true, value: v })));
    expect(futs.map((f) => f.polls), `each future is polled until Ready, and never after (seed ${seed})`).toEqual(afters);
  }
});

test('builds the Send check by hand', () => {
  const found = banned(
    new URL('./local_vs_send.ts', import.meta.url),
    ['any', 'ts-directives', 'ContainsLocal', 'RequireSend', 'import:../_lib/runtime', 'import:async-lessons'],
    'the Send check is yours to build from conditional types, with no `any` to loosen it and nothing borrowed from the course library',
  );
  expect(found, found.join('\n')).toEqual([]);
});
