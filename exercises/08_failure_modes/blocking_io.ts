// blocking_io: a blocking call inside async code freezes every other task.
//
// The chapter: "…if you call a blocking function from an async context…" the
// program still compiles, and a test with one request still passes. Only
// under load does it show: while one handler sits in a blocking call, no
// other handler, timer or socket on this thread gets a turn.
//
// `handle(req, deps)` serves one file. It is `async`, but it calls
// `deps.fs.statSync` and `deps.fs.readFileSync`, which do not return until
// the disk has answered. Five requests at once are served one after the
// other, and the event loop is frozen the whole time.
//
// Task: serve the file with the non-blocking calls `deps.fs.stat` and
// `deps.fs.readFile`, which return Promises, and await them. Keep the
// responses the same:
//   - a missing file (stat gives undefined): { status: 404, body: '' }, and
//     do not read it;
//   - otherwise: { status: 200, body: <the file's text>, size: <stat's size> }.
// An `async` keyword alone changes nothing: a blocking call inside an async
// function still blocks. Neither does putting it off until later (after an
// `await`, in a `.then`, in a timer): it still blocks, just later.
//
// TODO: replace statSync with `await deps.fs.stat(...)`.
// TODO: replace readFileSync with `await deps.fs.readFile(...)`.
//
// Rust equivalent: `std::fs::read` or `std::thread::sleep` inside an
// `async fn` stalls the runtime's worker thread; use `tokio::fs::read` (or
// `tokio::task::spawn_blocking`) and `.await` it. rustc accepts both.

/** What `stat` knows about a file. */
export interface FileStat {
  size: number;
}

/** The file system the handler may use (the checks pass a fake one). */
export interface Fs {
  /** Blocks until the disk answers. undefined when the file does not exist. */
  statSync(path: string): FileStat | undefined;
  /** Blocks until the disk answers. */
  readFileSync(path: string): string;
  /** Resolves when the disk answers, without blocking. undefined when the file does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Resolves with the file's text when the disk answers, without blocking. */
  readFile(path: string): Promise<string>;
}

export interface Deps {
  fs: Fs;
}

export interface Request {
  path: string;
}

export type Response = { status: 404; body: '' } | { status: 200; body: string; size: number };

export async function handle(req: Request, deps: Deps): Promise<Response> {
  const stat = deps.fs.statSync(req.path);
  if (stat === undefined) return { status: 404, body: '' };
  const body = deps.fs.readFileSync(req.path);
  return { status: 200, body, size: stat.size };
}
