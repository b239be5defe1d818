// recursion_needs_box: reference solution.
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
  /** Index of the next child to start. */
  next = 0;
  /**
   * The one child future alive: Rust's `Box::pin(sum_tree(child))`. A field
   * of the same type as the class is fine here because it is a reference;
   * in Rust the future would be stored inline, and a future that contains
   * itself inline would have infinite size, which is why it needs the Box.
   */
  current: SumTree | undefined;

  constructor(node: TreeNode, load: Load) {
    // Nothing is created here: like an `async fn`, the work starts at the first poll.
    this.node = node;
    this.load = load;
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
    for (;;) {
      if (this.current === undefined) {
        if (this.next >= this.node.children.length) return Ready(this.total);
        const child = this.node.children[this.next];
        if (child === undefined) return Ready(this.total);
        this.next += 1;
        this.current = new SumTree(child, this.load); // create it when reached
      }
      const sub = this.current.poll(cx);
      if (!sub.ready) return Pending;
      this.total += sub.value;
      this.current = undefined; // let it go before the next one exists
    }
  }

  drop(): void {
    // Cancelling drops what is in flight; the child drops its own, and so on down.
    this.ownLoad?.drop?.();
    this.ownLoad = undefined;
    this.current?.drop();
    this.current = undefined;
  }
}
