// The course library for 06_compile_errors/guard_across_await: a synchronous cell with a borrow flag.
//
// Rust equivalent: `std::cell::RefCell<T>` with `borrow_mut()` → `RefMut<T>`, which panics with
// "already borrowed: BorrowMutError" when a second borrow starts while the first is alive.

/** Thrown when a second borrow starts while one is alive. Rust: the `RefCell` panic. */
export class BorrowError extends Error {
  constructor() {
    super('already borrowed: a guard from borrowMut() is still alive (was it held across an await?)');
    this.name = 'BorrowError';
  }
}

/** A live borrow. Read and write `value` while you hold it; `release()` ends it (Rust: dropping the `RefMut`). */
export interface RefMut<T> {
  value: T;
  release(): void;
}

/** A value that one piece of code at a time may borrow mutably. Rust: `RefCell<T>`. */
export class SyncCell<T> {
  #value: T;
  #borrowed = false;
  #borrows = 0;

  constructor(value: T) {
    this.#value = value;
  }

  /** True while a guard is alive. */
  get borrowed(): boolean {
    return this.#borrowed;
  }

  /** How many borrows have started so far. */
  get borrows(): number {
    return this.#borrows;
  }

  /** The value, read without borrowing (for checks and logs). */
  peek(): T {
    return this.#value;
  }

  /** Starts a mutable borrow; throws `BorrowError` if one is alive. Rust: `RefCell::borrow_mut`. */
  borrowMut(): RefMut<T> {
    if (this.#borrowed) throw new BorrowError();
    this.#borrowed = true;
    this.#borrows += 1;
    const cell = this;
    let live = true;
    const check = () => {
      if (!live) throw new Error('this guard was already released; borrow again');
    };
    const guard: RefMut<T> = {
      get value(): T {
        check();
        return cell.#value;
      },
      set value(v: T) {
        check();
        cell.#value = v;
      },
      release() {
        check();
        live = false;
        cell.#borrowed = false;
      },
    };
    return guard;
  }
}
