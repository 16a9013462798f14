// Finding a program the way execvp will, so a missing one fails at start with a clear message.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The file `program` names, by execvp's rules with `pathEnv`; undefined when none. */
export function findExecutable(program: string, pathEnv: string | undefined, cwd: string): string | undefined {
  if (program.includes('/')) {
    const p = isAbsolute(program) ? program : resolve(cwd, program);
    return executable(p) ? p : undefined;
  }
  for (const dir of (pathEnv ?? DEFAULT_PATH).split(':')) {
    const p = join(dir === '' ? cwd : isAbsolute(dir) ? dir : resolve(cwd, dir), program);
    if (executable(p)) return p;
  }
  return undefined;
}
