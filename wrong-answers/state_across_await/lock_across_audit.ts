// @rejects audits of concurrent withdrawals overlap
// Mistake: puts every withdrawal behind one lock and keeps it across the audit await (Rust: holding a MutexGuard across .await), so the balance is right but each withdrawal waits for every earlier audit, and withdrawals on different accounts wait for each other too.
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

// One lock for the whole module: a withdrawal waits for the one before it to
// finish completely, audit included, before it reads the balance.
let tail: Promise<unknown> = Promise.resolve();

export async function withdraw(
  acct: Account,
  amount: number,
  audit: Audit,
): Promise<number> {
  const turn = tail.then(async () => {
    const balance = acct.balance;
    await audit.log(`withdraw ${amount}`);
    if (balance < amount) throw new InsufficientFunds(balance, amount);
    acct.balance = balance - amount;
    return acct.balance;
  });
  tail = turn.catch(() => undefined);
  return turn;
}
