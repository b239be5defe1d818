// @rejects the refusal says what was asked and what was there
// Mistake: passes the amount and the balance to InsufficientFunds in the wrong order, so the error tells the caller the balance was the amount they asked for ("cannot withdraw 30: the balance is only 100").
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
  // Log the attempt first. Other withdrawals can run while we wait here, and
  // that is fine, because we have not read anything yet.
  await audit.log(`withdraw ${amount}`);

  // From here to the end there is no `await`. JavaScript runs one piece of
  // code at a time on this thread, so nothing else can touch the account
  // between the read, the check and the write. This block is our critical
  // section; in Rust it would be the scope of a `MutexGuard`.
  const balance = acct.balance;
  if (balance < amount) throw new InsufficientFunds(amount, balance);
  acct.balance = balance - amount;
  return acct.balance;
}
