import path from 'node:path';
import { writeFileAtomic } from '../fs-utils.js';

/** Where a file reporter puts its text: a file in --out, or stdout for --json. */
export type Sink = (text: string) => Promise<void>;

export const fileSink = (dir: string, name: string): Sink => (text) => writeFileAtomic(path.join(dir, name), text);
