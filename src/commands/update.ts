import path from 'node:path';
import { updateWorkspace } from '../node/workspace-ops.js';
import type { Command } from './command.js';
import { openLearner, plural } from './context.js';

export const updateCommand: Command = {
  name: 'update',
  summary: 'bring the workspace up to the installed course: new exercises, fresh check files',
  usage: 'async-lessons update',
  details: 'Files you edit (exercise files) are never touched; only missing ones are added. The course library (exercises/_*) is kept as declarations: a copy of its code left by an older version is removed.',
  options: {},
  args: { min: 0, max: 0 },
  async run(ctx) {
    const l = await openLearner(ctx);
    const { added, refreshed, removed, backup } = await updateWorkspace(l.ws, l.loaded);
    const gone = removed.length > 0 ? `, ${plural(removed.length, 'course library file')} removed` : '';
    ctx.print(`Workspace now follows ${l.loaded.id.name} ${l.loaded.id.version}: ${plural(added.length, 'file')} added, ${plural(refreshed.length, 'check file')} refreshed${gone}.`);
    for (const f of added) ctx.print(ctx.style.dim(`  + ${f}`));
    for (const f of refreshed) ctx.print(ctx.style.dim(`  ~ ${f}`));
    for (const f of removed) ctx.print(ctx.style.dim(`  - ${f}`));
    if (removed.length > 0) ctx.print('The course library is now declarations only (your editor still knows its types); the checks use the copy inside async-lessons.');
    if (backup) ctx.print(`Library files you had changed are kept in ${path.relative(ctx.cwd, backup) || backup}.`);
    return 0;
  },
};
