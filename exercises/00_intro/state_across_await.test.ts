import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { seeded, SEEDS } from 'async-lessons/harness';
import { InsufficientFunds, withdraw, type Audit } from './state_across_await';

const AUDIT_MS = 10;

/** An audit log on fake timers: an entry counts as written AUDIT_MS after the call. */
function fakeAudit() {
  const calls: string[] = [];
  let written = 0;
  const audit: Audit = {
    log(entry: string) {
      calls.push(entry);
      return new Promise<void>((resolve) => {
        setTimeout(() => {
          written += 1;
          resolve();
        }, AUDIT_MS);
      });
    },
  };
  return { audit, calls, written: () => written };
}

type Outcome = { ok: true; value: number } | { ok: false; error: unknown };

/** Runs the given withdrawals at the same time and lets the fake clock run until all settle. */
async function runTogether(attempts: Promise<number>[]): Promise<Outcome[]> {
  const settled = Promise.all(
    attempts.map((p) =>
      p.then(
        (value): Outcome => ({ ok: true, value }),
        (error: unknown): Outcome => ({ ok: false, error }),
      ),
    ),
  );
  await vi.runAllTimersAsync();
  return settled;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

test('one withdrawal returns the new balance', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const start = rng.int(100, 500);
    const amount = rng.int(1, start);
    const acct = { balance: start };
    const { audit } = fakeAudit();
    const [outcome] = await runTogether([withdraw(acct, amount, audit)]);
    expect(
      outcome,
      `withdrawing ${amount} from ${start} should succeed and resolve to the new ` +
        `balance, ${start - amount} (seed ${seed})`,
    ).toEqual({ ok: true, value: start - amount });
    expect(acct.balance, `the account should hold ${start} - ${amount} afterwards (seed ${seed})`).toBe(start - amount);
  }
});

test('waits for the audit entry before resolving', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const start = rng.int(100, 500);
    const acct = { balance: start };
    const { audit, written } = fakeAudit();
    let done = false;
    const attempt = withdraw(acct, rng.int(1, start), audit).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(AUDIT_MS - 1);
    expect(
      done,
      `withdraw resolved before its audit entry was written (the audit takes ${AUDIT_MS} ms). ` +
        `Keep awaiting audit.log: removing the await only hides the race, and a failed ` +
        `audit would then go unnoticed.`,
    ).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done, `withdraw should resolve as soon as its audit entry is written, at ${AUDIT_MS} ms`).toBe(true);
    await vi.runAllTimersAsync();
    await attempt;
    expect(written(), 'exactly one audit entry should be written for one withdrawal').toBe(1);
  }
});

test('two concurrent withdrawals both count', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const start = rng.int(100, 500);
    const first = rng.int(10, Math.floor(start / 2));
    const second = rng.int(10, start - first);
    const acct = { balance: start };
    const { audit } = fakeAudit();
    const outcomes = await runTogether([withdraw(acct, first, audit), withdraw(acct, second, audit)]);
    expect(
      outcomes.every((o) => o.ok),
      `both withdrawals fit in the balance (${first} + ${second} <= ${start}), so both should succeed (seed ${seed})`,
    ).toBe(true);
    expect(
      acct.balance,
      `withdrawing ${first} and ${second} at the same time from ${start} should leave ` +
        `${start - first - second} (seed ${seed}). If each one read the balance before its ` +
        `await and wrote it after, the second write overwrites the first.`,
    ).toBe(start - first - second);
  }
});

test('overdrafts are refused', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const amount = rng.int(20, 80);
    const start = 2 * amount + rng.int(0, amount - 1); // covers two withdrawals, not three
    const acct = { balance: start };
    const { audit } = fakeAudit();
    const outcomes = await runTogether([1, 2, 3].map(() => withdraw(acct, amount, audit)));
    const refused = outcomes.filter((o) => !o.ok);
    expect(
      outcomes.filter((o) => o.ok).length,
      `three withdrawals of ${amount} from ${start} run at the same time: the balance ` +
        `covers two of them, so exactly two should succeed (seed ${seed}). A check made ` +
        `before an await can be out of date after it.`,
    ).toBe(2);
    expect(
      refused.every((o) => !o.ok && o.error instanceof InsufficientFunds),
      `the refused withdrawal should reject with InsufficientFunds (seed ${seed})`,
    ).toBe(true);
    expect(
      acct.balance,
      `the balance should end at ${start} - 2 × ${amount} and never go negative (seed ${seed})`,
    ).toBe(start - 2 * amount);
  }
});

test('audits every attempt once, in call order', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const amounts = rng.distinct(3, 10, 60);
    const [a = 0, b = 0, c = 0] = amounts;
    const start = a + b + rng.int(0, c - 1); // the third attempt cannot be covered
    const acct = { balance: start };
    const { audit, calls } = fakeAudit();
    await runTogether(amounts.map((amount) => withdraw(acct, amount, audit)));
    expect(
      calls,
      `every attempt, refused or not, should write one audit entry \`withdraw <amount>\`, ` +
        `in the order withdraw was called (seed ${seed})`,
    ).toEqual(amounts.map((amount) => `withdraw ${amount}`));
  }
});

test('a withdrawal may empty the account', async () => {
  for (const seed of SEEDS) {
    const start = seeded(seed).int(1, 500);
    const acct = { balance: start };
    const { audit } = fakeAudit();
    const [all] = await runTogether([withdraw(acct, start, audit)]);
    expect(
      all,
      `withdrawing the whole balance (${start} of ${start}) is covered, so it should succeed and resolve to ` +
        `the new balance, 0 (seed ${seed}). Refuse only when the balance is smaller than the amount.`,
    ).toEqual({ ok: true, value: 0 });
    const [more] = await runTogether([withdraw(acct, 1, audit)]);
    expect(more?.ok === false && more.error instanceof InsufficientFunds, 'with 0 left, withdrawing 1 should reject with InsufficientFunds').toBe(true);
    expect(acct.balance, 'a refused withdrawal leaves the balance at 0').toBe(0);
  }
});

test('many concurrent withdrawals never overdraw', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const amounts = Array.from({ length: rng.int(4, 15) }, () => rng.int(1, 60));
    const start = rng.int(0, amounts.reduce((a, b) => a + b, 0));
    // Every audit takes the same time, so the withdrawals get to the balance in call order.
    let left = start;
    const want = amounts.map((amount) => (left >= amount ? ((left -= amount), true) : false));
    const acct = { balance: start };
    const { audit } = fakeAudit();
    const outcomes = await runTogether(amounts.map((amount) => withdraw(acct, amount, audit)));
    expect(
      outcomes.map((o) => o.ok),
      `${amounts.length} withdrawals (${amounts.join(', ')}) from ${start} ran at the same time; each should ` +
        `succeed exactly when what is left covers it (seed ${seed})`,
    ).toEqual(want);
    expect(acct.balance, `the balance should end at ${left}, never below 0 (seed ${seed})`).toBe(left);
  }
});

test('audits of concurrent withdrawals overlap', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const n = rng.int(3, 12);
    const accounts = [{ balance: 1000 }, { balance: 1000 }];
    const { audit } = fakeAudit();
    let settled = 0;
    const attempts = Array.from({ length: n }, (_, i) =>
      withdraw(accounts[i % 2]!, rng.int(1, 50), audit).finally(() => {
        settled += 1;
      }),
    );
    await vi.advanceTimersByTimeAsync(AUDIT_MS);
    expect(
      settled,
      `${n} withdrawals on two accounts started together and each audit takes ${AUDIT_MS} ms, so all of them ` +
        `should have finished at ${AUDIT_MS} ms; ${settled} had (seed ${seed}). Keep the read-check-write ` +
        'free of awaits instead of making every withdrawal wait for the audits before it: that is holding a ' +
        'lock across .await (in Rust, a MutexGuard kept over the .await), which serialises all withdrawals.',
    ).toBe(n);
    await runTogether(attempts);
  }
});

test('the refusal says what was asked and what was there', async () => {
  for (const seed of SEEDS) {
    const rng = seeded(seed);
    const first = rng.int(10, 200);
    const start = first + rng.int(0, 100);
    const second = start - first + rng.int(1, 100); // more than what the first leaves
    const acct = { balance: start };
    const { audit } = fakeAudit();
    const [, refused] = await runTogether([withdraw(acct, first, audit), withdraw(acct, second, audit)]);
    const error = refused?.ok === false ? refused.error : undefined;
    expect(error instanceof InsufficientFunds, `withdrawing ${first} then ${second} from ${start}: the second should be refused (seed ${seed})`).toBe(true);
    const e = error instanceof InsufficientFunds ? error : undefined;
    expect(
      { balance: e?.balance, amount: e?.amount },
      `InsufficientFunds should carry the balance the check saw (${start - first}, after the first withdrawal) and the ` +
        `amount asked for (${second}), in that order: new InsufficientFunds(balance, amount) (seed ${seed})`,
    ).toEqual({ balance: start - first, amount: second });
    const shown = e === undefined ? '' : `${e.name}: ${e.message}`;
    expect(
      e?.name === 'InsufficientFunds' && e.message.includes(String(second)) && e.message.includes(String(start - first)),
      `a refused withdrawal is what the caller logs or shows, so it should read as InsufficientFunds and name both the ` +
        `amount asked for (${second}) and the balance there was (${start - first}); it reads "${shown}" (seed ${seed}). ` +
        'Throw new InsufficientFunds(balance, amount) as given: its constructor writes the name and the message',
    ).toBe(true);
  }
});
