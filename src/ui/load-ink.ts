// Ink reads CI / CONTINUOUS_INTEGRATION once, when it is first evaluated, and then prints only the
// final frame at exit — a blank terminal for the whole session. Whether the screen is interactive
// is decided by the caller (a TTY on both ends, no --plain), so Ink is loaded with those variables
// hidden, and they are put back at once for everything else (the check host, learner code).
const CI_VARS = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

export async function loadInkUi(env: NodeJS.ProcessEnv = process.env): Promise<typeof import('./render-watch.js')> {
  const saved = CI_VARS.map((k) => [k, env[k]] as const);
  for (const k of CI_VARS) delete env[k];
  try {
    return await import('./render-watch.js');
  } finally {
    for (const [k, v] of saved) if (v !== undefined) env[k] = v;
  }
}
