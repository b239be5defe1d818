// @rejects is built from polls
// Mistake: re-exports the course library's join instead of writing one.
export { join } from '../_lib/combinators';
