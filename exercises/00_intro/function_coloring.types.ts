// Type checks for function_coloring: compiled together with your file, never run.
//
// How to read a failure here:
// - "Type 'true' is not assignable to type 'false'" on a `...ResolvesTo...`
//   line means the function named in the comment above that line does not
//   return what it should (a Promise of the right value). Hover the function
//   in your file to see what it returns now.
// - "this line should fail to type-check with TS2322, but it compiles" means
//   your types accept something they must refuse (usually an `any` or a
//   function that is no longer async).
import { banner, getPort, loadConfig, main, type Config } from './function_coloring';

/** True when A and B are exactly the same type (not merely assignable). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** True when calling F gives a Promise (or another thenable) of exactly T. */
type ResolvesTo<F extends () => unknown, T> =
  ReturnType<F> extends PromiseLike<unknown> ? Equal<Awaited<ReturnType<F>>, T> : false;

// loadConfig() must stay async, resolving to a Config.
export const loadConfigResolvesToConfig: ResolvesTo<typeof loadConfig, Config> = true;
// getPort() must return a Promise of the port number.
export const getPortResolvesToNumber: ResolvesTo<typeof getPort, number> = true;
// banner() must return a Promise of the banner text.
export const bannerResolvesToString: ResolvesTo<typeof banner, string> = true;
// main() must return a Promise that resolves (to nothing) once it has printed.
export const mainResolvesToVoid: ResolvesTo<typeof main, void> = true;

// A Promise of a number is not a number: this assignment has to be refused.
// @ts-expect-error TS2322 getPort() gives Promise<number>, which is not a number
export const port: number = getPort();
