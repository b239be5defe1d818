// @rejects a disk error reaches the caller
// Mistake: wraps everything in try/catch and answers 404 for any disk error, so an EIO looks like a missing file.
// blocking_io, solved: the handler waits for the disk with await, so other tasks run meanwhile.
//
// Rust equivalent: `tokio::fs::metadata(path).await` and `tokio::fs::read_to_string(path).await`
// instead of their `std::fs` twins.

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
  // Each await hands the thread back to the event loop until the disk answers.
  try {
    const stat = await deps.fs.stat(req.path);
    if (stat === undefined) return { status: 404, body: '' };
    const body = await deps.fs.readFile(req.path);
    return { status: 200, body, size: stat.size };
  } catch {
    return { status: 404, body: '' };
  }
}
