import { expect, test } from 'vitest';
import { SEEDS, VirtualReactor, banned, counted, pollWith, seeded, sleep, spyWaker, type Counted, type Rng } from 'async-lessons/harness';
import { Pending, Ready, type Context, type Future, type Poll } from '../_lib/future';
import { SumTree, type TreeNode } from './recursion_needs_box';

interface Tree {
  root: TreeNode;
  depthOf: Map<number, number>;
  value: Map<number, number>;
  ms: Map<number, number>;
  preorder: number[];
  nodes: WeakSet<object>;
}

/** A random tree of `n` nodes whose deepest node is exactly `depth` levels below the root. */
function makeTree(rng: Rng, n: number, depth: number): Tree {
  type Mut = { id: number; children: Mut[] };
  const all: Array<{ node: Mut; depth: number }> = [];
  const add = (parent: { node: Mut; depth: number } | undefined): { node: Mut; depth: number } => {
    const entry = { node: { id: all.length, children: [] }, depth: parent === undefined ? 0 : parent.depth + 1 };
    parent?.node.children.push(entry.node);
    all.push(entry);
    return entry;
  };
  let tip = add(undefined);
  while (tip.depth < depth) tip = add(tip); // one path of full depth
  const open = all.filter((e) => e.depth < depth);
  while (all.length < n) {
    const child = add(rng.pick(open));
    if (child.depth < depth) open.push(child);
  }
  const root = all[0]!.node;
  const preorder: number[] = [];
  const walk = (node: Mut): void => {
    preorder.push(node.id);
    node.children.forEach(walk);
  };
  walk(root);
  const nodes = new WeakSet<object>();
  for (const e of all) {
    nodes.add(e.node);
    nodes.add(e.node.children);
  }
  return {
    root,
    depthOf: new Map(all.map((e) => [e.node.id, e.depth])),
    value: new Map(all.map((e) => [e.node.id, rng.int(1, 100)])),
    ms: new Map(all.map((e) => [e.node.id, rng.int(1, 5)])),
    preorder,
    nodes,
  };
}

/** A `load` on the virtual reactor that records every load it makes. */
function loader(reactor: VirtualReactor, tree: Tree) {
  const loads: number[] = [];
  const futs: Array<Counted<number>> = [];
  const load = (node: TreeNode): Future<number> => {
    loads.push(node.id);
    const s = sleep(reactor, tree.ms.get(node.id) ?? 1);
    const value = tree.value.get(node.id) ?? 0;
    const fut = counted(
      {
        poll: (cx: Context): Poll<number> => (s.poll(cx).ready ? Ready(value) : Pending),
        drop: () => s.drop(),
      },
      { name: `load(${node.id})` },
    );
    futs.push(fut);
    return fut;
  };
  const inFlight = (): number => futs.filter((f) => !f.done && f.drops === 0).length;
  return { load, loads, futs, inFlight };
}

/** Every SumTree reachable from `root` through fields, arrays, maps and sets (tree nodes skipped). */
function liveSumTrees(root: object, tree: Tree): SumTree[] {
  const seen = new Set<object>();
  const found: SumTree[] = [];
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v) || tree.nodes.has(v)) return;
    seen.add(v);
    if (v instanceof SumTree) found.push(v);
    if (v instanceof Map) for (const [k, x] of v) (visit(k), visit(x));
    else if (v instanceof Set || Array.isArray(v)) for (const x of v) visit(x);
    else for (const x of Object.values(v)) visit(x);
  };
  visit(root);
  return found;
}

const sumOf = (tree: Tree): number => [...tree.value.values()].reduce((a, b) => a + b, 0);

test('holds at most depth + 1 SumTrees at a time', () => {
  const depth = 10;
  const tree = makeTree(seeded(SEEDS[0] ?? 7), 1000, depth);
  const reactor = new VirtualReactor();
  const { load } = loader(reactor, tree);
  const root = new SumTree(tree.root, load);
  const spy = spyWaker('root task');
  let most = 0;
  for (let poll = 1; ; poll++) {
    const result = pollWith(root, spy);
    const live = liveSumTrees(root, tree).length;
    most = Math.max(most, live);
    if (live > depth + 1) {
      expect(
        live,
        `after poll ${poll} the root future holds ${live} SumTrees. The tree is ${depth} levels deep, so a lazy ` +
          `SumTree needs at most ${depth + 1} at once (one path from the root down). Create a child's SumTree only when ` +
          'you reach it, keep just that one, and let it go when it is done.',
      ).toBeLessThanOrEqual(depth + 1);
    }
    if (result.ready) {
      expect(result.value, 'the sum of all 1000 values').toBe(sumOf(tree));
      break;
    }
    expect(reactor.turn(), 'the tree is Pending, so it should be waiting for a load (a timer)').toBe(true);
  }
  expect(most, 'on the deepest path all levels are alive at once').toBe(depth + 1);
});

test('sums a seeded tree, loading one node at a time', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const tree = makeTree(rng, rng.int(30, 120), rng.int(3, 8));
    const reactor = new VirtualReactor();
    const { load, loads, inFlight } = loader(reactor, tree);
    const root = new SumTree(tree.root, load);
    const spy = spyWaker('root task');
    let result = pollWith(root, spy);
    let most = inFlight();
    while (!result.ready) {
      expect(reactor.turn(), 'the tree is Pending, so it should be waiting for a load (a timer)').toBe(true);
      result = pollWith(root, spy);
      most = Math.max(most, inFlight());
    }
    expect(result.value, `the sum of the tree's ${tree.preorder.length} values (seed ${seed})`).toBe(sumOf(tree));
    expect(
      loads,
      `each node's own value is loaded first, then its children's subtrees in order (seed ${seed})`,
    ).toEqual(tree.preorder);
    expect(most, 'one load at a time: the next starts after the previous one finished').toBe(1);
    const total = [...tree.ms.values()].reduce((a, b) => a + b, 0);
    expect(reactor.now, `loads one after another take the sum of their times, ${total} ms (seed ${seed})`).toBe(total);
    expect(spy.wokeDuringPoll, 'the tree should wait for its loads, never wake itself').toBe(0);
  }
});

test('sums trees of every shape, zeros included', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const chain = rng.int(2, 12);
    const star = rng.int(2, 30);
    const shapes: Array<[string, number, number]> = [
      ['a single node', 1, 0],
      [`a chain of ${chain + 1}`, chain + 1, chain],
      [`a root with ${star} leaves`, star + 1, 1],
      ['a random tree', rng.int(20, 80), rng.int(2, 7)],
    ];
    for (const [shape, n, depth] of shapes) {
      const tree = makeTree(rng, n, depth);
      // Zero is a value like any other: the root and about a third of the nodes are 0.
      for (const id of tree.value.keys()) if (id === 0 || rng.int(0, 2) === 0) tree.value.set(id, 0);
      const reactor = new VirtualReactor();
      const { load, loads } = loader(reactor, tree);
      const root = new SumTree(tree.root, load);
      const spy = spyWaker('root task');
      let most = 0;
      let result = pollWith(root, spy);
      for (let turns = 0; !result.ready && turns < 10 * n; turns++) {
        most = Math.max(most, liveSumTrees(root, tree).length);
        reactor.turn();
        result = pollWith(root, spy);
      }
      const what = `${shape} (${n} node(s), ${depth} level(s) deep, seed ${seed})`;
      expect(result.ready && result.value, `${what}: the sum of its values`).toBe(sumOf(tree));
      expect(
        loads,
        `${what}: each node is loaded exactly once, itself first and then its children in order. A node whose value ` +
          'is 0 has been loaded too: keep a flag for "loaded", not the value',
      ).toEqual(tree.preorder);
      expect(most, `${what}: at most one path from the root is alive`).toBeLessThanOrEqual(depth + 1);
    }
  }
});

test('dropping the root drops every live descendant', () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const tree = makeTree(rng, 300, 10);
    const deepIds = tree.preorder.filter((id) => (tree.depthOf.get(id) ?? 0) >= 3);
    const stopAt = rng.pick(deepIds);
    const stopDepth = tree.depthOf.get(stopAt) ?? 0;
    const reactor = new VirtualReactor();
    const { load, loads, futs } = loader(reactor, tree);
    const root = new SumTree(tree.root, load);
    const spy = spyWaker('root task');
    // Run until node `stopAt` (at depth stopDepth) is being loaded.
    while (!pollWith(root, spy).ready && loads.at(-1) !== stopAt) reactor.turn();
    expect(loads.at(-1), `the run should reach node ${stopAt}`).toBe(stopAt);
    const live = liveSumTrees(root, tree);
    const drops = new Map<SumTree, number>();
    for (const t of live) {
      const original = t.drop.bind(t);
      t.drop = () => {
        drops.set(t, (drops.get(t) ?? 0) + 1);
        original();
      };
    }
    root.drop();
    expect(
      [...drops.values()].reduce((a, b) => a + b, 0),
      `node ${stopAt} was loading, ${stopDepth} levels down: dropping the root should drop each of the ` +
        `${live.length} SumTrees it holds exactly once (seed ${seed})`,
    ).toBe(live.length);
    expect(live.every((t) => drops.get(t) === 1), 'every live SumTree should be dropped exactly once').toBe(true);
    expect(futs.at(-1)?.drops, `the load of node ${stopAt}, in flight, should be dropped`).toBe(1);
    expect(reactor.pendingTimers, 'nothing may keep waiting after the root is dropped').toBe(0);
    root.drop();
    expect(
      live.filter((t) => t !== root).every((t) => drops.get(t) === 1),
      'drop() is idempotent: a second root.drop() must not drop the children again',
    ).toBe(true);
  }
});

test('keeps its state visible', () => {
  const found = banned(
    new URL('./recursion_needs_box.ts', import.meta.url),
    ['private', 'any', 'as', 'ts-directives', 'Promise', 'async', 'await'],
    'the checks count what a SumTree holds, so keep its state in plain fields, and build the future by hand',
  );
  expect(found, found.join('\n')).toEqual([]);
});
