import { expect, test } from 'vitest';
import { commandName, globalInstallHint, nameCommands } from '../../src/node/invocation.js';

// What npm 11 sets, seen by hand with `npx ./pkg.tgz` and `npm exec`, against a global install.
test('npx is told by npm_command, npm_lifecycle_event or a bin under _npx; a global bin by none', () => {
  expect(commandName({ npm_command: 'exec' }, '/x/bin/async-lessons')).toBe('npx async-lessons');
  expect(commandName({ npm_lifecycle_event: 'npx' }, '/x/bin/async-lessons')).toBe('npx async-lessons');
  expect(commandName({}, '/root/.npm/_npx/74173730f6df41e7/node_modules/.bin/async-lessons')).toBe('npx async-lessons');
  expect(commandName({}, '/usr/local/bin/async-lessons')).toBe('async-lessons');
  // Inside `npm run` (npm_command=run-script) the installed bin is on PATH.
  expect(commandName({ npm_command: 'run-script', npm_lifecycle_event: 'test' }, '/w/node_modules/.bin/async-lessons')).toBe('async-lessons');
});

test('only backticked suggestions are renamed, and only under npx', () => {
  const line = 'Run `async-lessons hint` or `async-lessons` alone; async-lessons 0.1.0 hit a bug';
  expect(nameCommands(line, 'npx async-lessons')).toBe('Run `npx async-lessons hint` or `npx async-lessons` alone; async-lessons 0.1.0 hit a bug');
  expect(nameCommands(line, 'async-lessons')).toBe(line);
  expect(nameCommands(globalInstallHint({ npm_command: 'exec' }, undefined)!, 'npx async-lessons')).toMatch(/^To type just async-lessons, [\s\S]*`npm i -g async-lessons`/);
  expect(globalInstallHint({}, '/usr/local/bin/async-lessons')).toBeUndefined();
});
