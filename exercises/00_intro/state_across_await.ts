// state_across_await: what you read before an `await` can be stale after it.
//
// Goal: `withdraw` takes money out of a shared account and writes an audit
// entry. Several withdrawals can run at the same time. Between the moment one
// of them reads the balance and the moment it writes the new one, it awaits
// the audit log, and while it waits the other withdrawals run. They all read
// the same old balance, and the last one to write wins: money appears out of
// nowhere and overdrafts go through.
//
// Rules for a correct `withdraw`:
//   - every attempt, successful or not, writes exactly one audit entry,
//     `withdraw <amount>`, and `withdraw` resolves only after the entry is
//     written (so: no fire-and-forget);
//   - an attempt the balance cannot cover rejects with `InsufficientFunds`
//     and leaves the balance alone;
//   - a successful attempt resolves to the new balance (withdrawing the
//     whole balance is fine and leaves 0);
//   - withdrawals do not wait for each other: their audits run at the same
//     time (in Rust terms, no lock is held across the `.await`).
//
// TODO: read the balance, check it and write the new balance with no `await`
//       in between. Keep exactly one awaited audit call per attempt.
//
// Rust equivalent: two tasks cannot both hold `&mut Account` across `.await`;
// share `Arc<Mutex<Account>>`, and never keep a std guard across `.await`.

export class InsufficientFunds extends Error {
  readonly balance: number;
  readonly amount: number;

  constructor(balance: number, amount: number) {
    super(`cannot withdraw ${amount}: the balance is only ${balance}`);
    this.name = 'InsufficientFunds';
    this.balance = balance;
    this.amount = amount;
  }
}

export interface Account {
  balance: number;
}

export interface Audit {
  /** Stores one entry. Takes a while: it is a network call. */
  log(entry: string): Promise<void>;
}

export async function withdraw(
  acct: Account,
  amount: number,
  audit: Audit,
): Promise<number> {
  const balance = acct.balance;
  await audit.log(`withdraw ${amount}`);
  // Other withdrawals may have run during the await, so `balance` may be out
  // of date here.
  if (balance < amount) throw new InsufficientFunds(balance, amount);
  acct.balance = balance - amount;
  return acct.balance;
}
