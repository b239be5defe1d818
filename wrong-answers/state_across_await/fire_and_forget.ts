// @rejects waits for the audit entry before resolving
// Mistake: "fixes" the race by dropping the await, so the audit call is fire-and-forget.
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
  log(entry: string): Promise<void>;
}

export async function withdraw(acct: Account, amount: number, audit: Audit): Promise<number> {
  void audit.log(`withdraw ${amount}`);
  if (acct.balance < amount) throw new InsufficientFunds(acct.balance, amount);
  acct.balance -= amount;
  return acct.balance;
}
