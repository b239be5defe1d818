// @rejects holds at most depth + 1 SumTrees at a time
// Mistake: builds every child's SumTree in the constructor (the starting code): the whole tree of futures exists before the first poll.
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
