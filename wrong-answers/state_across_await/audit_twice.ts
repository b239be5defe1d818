// @rejects audits every attempt once, in call order
// Mistake: logs the attempt and then the result too, so each withdrawal writes two audit entries.
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
  await audit.log(`withdraw ${amount}`);
  if (acct.balance < amount) {
    await audit.log(`refused ${amount}`);
    throw new InsufficientFunds(acct.balance, amount);
  }
  acct.balance -= amount;
  const balance = acct.balance;
  await audit.log(`done ${amount}`);
  return balance;
}
