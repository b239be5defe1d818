// @rejects written here, not taken from _lib
// Mistake: re-exports the course library's future types and values, which already have the right shapes, instead of writing them.
export * from '../_lib/future';
