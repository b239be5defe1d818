// @rejects overdrafts are refused
// Mistake: checks the balance before the await and subtracts after it; the write is fresh but the check is stale.
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
  if (acct.balance < amount) throw new InsufficientFunds(acct.balance, amount);
  await audit.log(`withdraw ${amount}`);
  acct.balance -= amount;
  return acct.balance;
}
