import { expect, test } from 'vitest';
import { counted, sleep, TestExecutor, VirtualReactor, type Future } from '../../src/harness/index.js';
import { TRACES, type Trace } from '../../src/harness/timeline.js';

const traces = () => ((globalThis as { [TRACES]?: Trace[] })[TRACES] ?? []);
const kinds = (t: Trace, task: string) => t.events.filter((e) => e.task === task).map((e) => `${e.t}:${e.kind}${e.by ? `<${e.by}` : ''}`);

test("an executor's trace: spawn, polls with their results, the timer registered during a poll, the wake and who woke whom", () => {
  (globalThis as { [TRACES]?: Trace[] })[TRACES] = [];
  const reactor = new VirtualReactor();
  const ex = new TestExecutor({ reactor });
  const a = ex.spawn('a', sleep(reactor, 20));
  let woken = false;
  const waker: Future<void> = {
    poll: () => {
      if (!woken) {
        woken = true;
        a.waker.wake();
      }
      return { ready: true, value: undefined };
    },
  };
  ex.spawn('b', waker);
  ex.run();
  const [t] = traces();
  expect(t!.tasks).toEqual(['a', 'b']);
  expect(kinds(t!, 'a')).toEqual(['0:spawn', '0:clone', '0:timer', '0:pending', '0:wake<b', '0:pending', '20:wake', '20:ready']);
  // The sleep registered a clone of a's waker; the reactor woke that clone, b the original.
  expect(t!.events.filter((e) => e.task === 'a' && e.kind !== 'pending' && e.kind !== 'ready' && e.kind !== 'spawn' && e.kind !== 'timer').map((e) => e.clone)).toEqual([1, 0, 1]);
  expect(kinds(t!, 'b')).toEqual(['0:spawn', '0:ready']);
});

test('a counted future is traced whoever polls it, on the last virtual time an executor saw', () => {
  (globalThis as { [TRACES]?: Trace[] })[TRACES] = [];
  let n = 0;
  const f = counted<number>({ poll: (cx) => (++n < 3 ? (n === 2 && cx.waker.wake(), { ready: false }) : { ready: true, value: n }) }, { name: 'f' });
  const cx = { waker: { wake() {}, clone() { return this; }, willWakeSame: () => true } };
  f.poll(cx);
  f.poll(cx);
  f.poll(cx);
  f.drop();
  const t = traces().find((x) => x.tasks.includes('f'))!;
  expect(kinds(t, 'f').map((k) => k.replace(/^\d+:/, ''))).toEqual(['spawn', 'pending', 'self-wake', 'pending', 'ready', 'drop']);
});
