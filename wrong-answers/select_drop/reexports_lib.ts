// @rejects is built from polls
// Mistake: re-exports the course library's select instead of writing one.
export { select, type Selected } from '../_lib/combinators';
