import { render } from 'ink';
import { WatchApp, type WatchAppProps } from './WatchApp.js';

/** Mounts the TUI and resolves when the learner quits. Loaded only through loadInkUi. */
export async function renderWatch(props: WatchAppProps): Promise<void> {
  await props.session.prepare();
  const app = render(<WatchApp {...props} />, { exitOnCtrlC: true });
  props.session.start();
  await app.waitUntilExit();
}
