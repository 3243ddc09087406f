import { readFileSync } from 'node:fs';

/**
 * `npm start` runs sh, sh runs tsx, tsx runs this process. npm passes a SIGTERM on to sh only: sh
 * dies, and tsx and this process would carry on holding the ports and Java. So the stack watches
 * each link from itself up to whatever launched it, and stops when one breaks.
 */

/** A process's parent, from Linux's /proc; undefined once it is gone, or where there is no /proc. */
const parentOf = (pid: number): number | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (command) state ppid ...", and the command may hold spaces and parentheses itself.
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === 'Z' ? undefined : Number(parent);
  } catch {
    return undefined;
  }
};

/** npm (and yarn, pnpm) set this for the processes of a script, not for themselves. */
const inPackageScript = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .some((entry) => entry.startsWith('npm_lifecycle_event='));
  } catch {
    return false;
  }
};

/** Calls `gone` once the process that launched this one (npm, or the parent) is gone; returns a stop. */
export const whenLauncherGone = (gone: () => void, everyMillis = 1000): (() => void) => {
  const links: { pid: number; parent: number }[] = [];
  for (let pid = process.pid; ; ) {
    const parent = parentOf(pid);
    if (parent === undefined) break;
    links.push({ pid, parent });
    // The launcher itself is watched, not what launched it: `nohup npm start &` outlives its shell.
    if (!inPackageScript(parent)) break;
    pid = parent;
  }
  // Without /proc, at least this process's own parent.
  const firstParent = process.ppid;
  const intact = () => (links.length > 0 ? links.every(({ pid, parent }) => parentOf(pid) === parent) : process.ppid === firstParent);
  const timer = setInterval(() => {
    if (intact()) return;
    clearInterval(timer);
    gone();
  }, everyMillis);
  timer.unref();
  return () => clearInterval(timer);
};
