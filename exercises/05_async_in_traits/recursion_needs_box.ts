// recursion_needs_box: a recursive future, one level at a time.
//
// Goal: `SumTree` is a hand-written future for this recursive async function:
//
//   async fn sum_tree(node: &Node) -> u64 {
//       let mut total = load(node).await;          // the node's own value
//       for child in &node.children {
//           total += sum_tree(child).await;        // then each subtree, in order
//       }
//       total
//   }
//
// The version below gets the answer right, but its constructor builds the
// SumTree of every child, which builds the SumTree of every grandchild, and
// so on: a 1000-node tree makes 1000 futures before the first poll, and
// keeps all of them until the end. A Rust compiler faces the same problem in
// another form: a future that contains itself has no finite size, so
// `sum_tree` needs a Box to hold the child's future.
//
// Make SumTree lazy:
//   - first load the node's own value (call `load(node)` when first polled);
//   - then go through the children in order; create a child's SumTree only
//     when you reach it, keep it in one field (`current`, your "box"), and
//     let go of it when it is done, before creating the next one;
//   - at any moment a SumTree holds at most one child future, so only one
//     path from the root down is alive: at most depth + 1 SumTrees;
//   - `drop()` (cancel) drops whatever is in flight: the own load, or the
//     current child (which drops its own, and so on down).
// Keep every field a plain field (no `private` or `#`): the checks look
// inside your futures to count what they hold.
//
// TODO: remove the `children` array; add a `current` child and the index of
//       the next child to start.
// TODO: update `poll` and `drop` to match.
//
// Rust equivalent: E0733 "recursion in an `async fn` requires boxing", for an
// unboxed recursive `.await` in every Rust version. Since Rust 1.77 boxing the
// call is enough: `total += Box::pin(sum_tree(child)).await;`. Before, the fn had
// to return a box: `fn sum_tree(..) -> BoxFuture<'_, u64> { async move { .. }.boxed() }`.

import { type Context, type Future, type Poll, Pending, Ready } from '../_lib/future';

export interface TreeNode {
  readonly id: number;
  readonly children: readonly TreeNode[];
}

/** Loads one node's own value (a database read, say). */
export type Load = (node: TreeNode) => Future<number>;

export class SumTree implements Future<number> {
  readonly node: TreeNode;
  readonly load: Load;
  /** The node's own load, while it is in flight. */
  ownLoad: Future<number> | undefined;
  ownDone = false;
  total = 0;
  /** Every child's future, built up front (and all their descendants, recursively). */
  readonly children: SumTree[];
  /** The child being summed now. */
  index = 0;

  constructor(node: TreeNode, load: Load) {
    this.node = node;
    this.load = load;
    this.children = node.children.map((child) => new SumTree(child, load));
  }

  poll(cx: Context): Poll<number> {
    if (!this.ownDone) {
      this.ownLoad ??= this.load(this.node);
      const own = this.ownLoad.poll(cx);
      if (!own.ready) return Pending;
      this.ownLoad = undefined;
      this.ownDone = true;
      this.total = own.value;
    }
    while (this.index < this.children.length) {
      const child = this.children[this.index];
      if (child === undefined) break;
      const sub = child.poll(cx);
      if (!sub.ready) return Pending;
      this.total += sub.value;
      this.index += 1;
    }
    return Ready(this.total);
  }

  drop(): void {
    this.ownLoad?.drop?.();
    this.ownLoad = undefined;
    for (const child of this.children) child.drop();
  }
}
