import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { emptyProgress, ProgressSchema, type Progress } from '../core/progress.js';
import { isAccessError } from './fs-errors.js';
import { stamp, writeFileAtomic } from './fs-utils.js';

export interface LoadedProgress {
  progress: Progress;
  /** One line for the learner when the file had to be set aside. */
  notice: string | undefined;
}

/** Reads and writes `.async-lessons/progress.json`. All decisions live in core/progress.ts. */
export class ProgressStore {
  /** A file we could not read is never written over: saving would lose what it holds. */
  private unreadable: NodeJS.ErrnoException | undefined;

  constructor(readonly file: string) {}

  async load(): Promise<LoadedProgress> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { progress: emptyProgress(), notice: undefined };
      if (isAccessError(error)) {
        this.unreadable = error;
        return { progress: emptyProgress(), notice: `Your progress file ${this.file} cannot be read (${error.code}); progress is neither shown nor saved until you fix that.` };
      }
      return this.setAside(`could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.setAside('was not valid JSON');
    }
    const parsed = ProgressSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.setAside(`did not have the expected shape (${issue ? `${issue.path.join('.') || 'top'}: ${issue.message}` : 'unknown'})`);
    }
    return { progress: parsed.data, notice: undefined };
  }

  /** Moves a bad file aside so nothing is lost, and starts fresh. */
  private async setAside(why: string): Promise<LoadedProgress> {
    const backup = `${this.file}.bak-${stamp()}`;
    try {
      await rename(this.file, backup);
    } catch {
      return { progress: emptyProgress(), notice: `Your progress file ${why} and could not be moved aside; starting fresh without saving over it is not possible, so it will be replaced.` };
    }
    return {
      progress: emptyProgress(),
      notice: `Your progress file ${why}; it was moved to ${path.basename(backup)} and progress starts fresh (run \`async-lessons verify\` to re-check your solved exercises).`,
    };
  }

  async save(progress: Progress): Promise<void> {
    if (this.unreadable) throw this.unreadable;
    await writeFileAtomic(this.file, `${JSON.stringify(progress, null, 2)}\n`);
  }
}
