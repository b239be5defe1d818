// @rejects a withdrawal may empty the account
// Mistake: refuses a withdrawal of exactly the balance (<= instead of <), so an account can never be emptied and a 0 balance is never returned.
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
  await audit.log(`withdraw ${amount}`);
  const balance = acct.balance;
  // Refuse anything that would leave the account with nothing in it.
  if (balance <= amount) throw new InsufficientFunds(balance, amount);
  acct.balance = balance - amount;
  return acct.balance;
}
