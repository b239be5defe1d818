import { updateWorkspace } from '../node/workspace-ops.js';
import type { Command } from './command.js';
import { openLearner, plural } from './context.js';

export const updateCommand: Command = {
  name: 'update',
  summary: 'bring the workspace up to the installed course: new exercises, fresh check files',
  usage: 'async-lessons update',
  details: 'Files you edit (exercise files) are never touched; only missing ones are added.',
  options: {},
  args: { min: 0, max: 0 },
  async run(ctx) {
    const l = await openLearner(ctx);
    const { added, refreshed } = await updateWorkspace(l.ws, l.loaded);
    ctx.print(`Workspace now follows ${l.loaded.id.name} ${l.loaded.id.version}: ${plural(added.length, 'file')} added, ${plural(refreshed.length, 'check file')} refreshed.`);
    for (const f of added) ctx.print(ctx.style.dim(`  + ${f}`));
    for (const f of refreshed) ctx.print(ctx.style.dim(`  ~ ${f}`));
    return 0;
  },
};
