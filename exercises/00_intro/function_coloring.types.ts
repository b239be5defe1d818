// Type checks for function_coloring: compiled together with your file, never run.
import { expectTypeOf } from 'vitest';
import { banner, getPort, loadConfig, main, type Config } from './function_coloring';

// The async function stays async...
expectTypeOf(loadConfig).returns.resolves.toEqualTypeOf<Config>();
// ...and every caller that needs its value hands back a Promise as well.
expectTypeOf(getPort).returns.resolves.toBeNumber();
expectTypeOf(banner).returns.resolves.toBeString();
expectTypeOf(main).returns.resolves.toBeVoid();

// A Promise of a number is not a number: this assignment has to be refused.
// @ts-expect-error TS2322 getPort() gives Promise<number>, which is not a number
export const port: number = getPort();
