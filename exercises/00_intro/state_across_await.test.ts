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
