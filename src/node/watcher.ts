import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export type FileEvent = { type: 'changed'; file: string } | { type: 'deleted'; file: string } | { type: 'error'; message: string };

/*
 * chokidar settings measured in RUNNER-NOTES §4: awaitWriteFinish {50, 10} with atomic left on
 * gives one event carrying the final content ~50–60 ms after a save, for plain writes, temp-file
 * renames, vim and JetBrains safe-writes, and bursts of saves. Editors still emit stray unlinks,
 * so an unlink is believed only if the file is still gone a moment later.
 */
const UNLINK_RECHECK_MS = 150;

export function watchExercises(dir: string, onEvent: (e: FileEvent) => void, options: { poll?: boolean } = {}): FSWatcher {
  const watcher = watch(dir, {
    ignoreInitial: true,
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 },
    usePolling: options.poll ?? false,
    interval: 100,
    ignored: (p, stats) => Boolean(stats?.isFile()) && !/\.(ts|mts|tsx|json|txt)$/.test(p),
  });
  const changed = (file: string) => onEvent({ type: 'changed', file: path.resolve(file) });
  watcher.on('add', changed);
  watcher.on('change', changed);
  watcher.on('unlink', (file) => {
    setTimeout(() => {
      stat(file).then(
        () => changed(file),
        () => onEvent({ type: 'deleted', file: path.resolve(file) }),
      );
    }, UNLINK_RECHECK_MS);
  });
  watcher.on('error', (error) => onEvent({ type: 'error', message: String((error as Error)?.message ?? error) }));
  return watcher;
}

/** File systems where change events are known to go missing: say so, and poll instead. */
export function unreliableEvents(dir: string, env: Record<string, string | undefined>): string | undefined {
  const resolved = path.resolve(dir);
  if ((env.WSL_DISTRO_NAME || env.WSL_INTEROP) && resolved.startsWith('/mnt/')) return 'this folder is on a Windows drive under WSL (/mnt/…)';
  if (env.CODESPACES || env.REMOTE_CONTAINERS) return 'this is a remote container';
  return undefined;
}
