// @rejects two concurrent withdrawals both count
// Mistake: reads the balance, awaits the audit, then writes from the stale read (the shipped code).
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
  const balance = acct.balance;
  await audit.log(`withdraw ${amount}`);
  if (balance < amount) throw new InsufficientFunds(balance, amount);
  acct.balance = balance - amount;
  return acct.balance;
}
