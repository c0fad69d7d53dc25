// CPU used by a process and its descendants (Linux /proc), in seconds: in all, and by
// kind for `wrangler dev` (the Worker's workerd, the proxy's workerd, wrangler's Node).
import { readdirSync, readFileSync } from "node:fs";

/** Every process's parent, CPU ticks so far and command line. */
function processes() {
  const all = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ");
      all.set(Number(name), {
        ppid: Number(fields[1]),
        cpu: Number(fields[11]) + Number(fields[12]),
        cmd,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return all;
}

/** What a process of `wrangler dev` on `port` does, from its command line. */
export function devProcessKind(cmd, port) {
  if (cmd.includes("workerd")) {
    return cmd.includes(`entry=127.0.0.1:${port}`) ? "proxy" : "worker";
  }
  return cmd.includes("esbuild") ? "esbuild" : "wrangler";
}

/** CPU seconds so far of `rootPid` and its descendants: { total, byKind }. */
export function treeCpu(rootPid, kindOf = () => "all") {
  const all = processes();
  const byKind = {};
  let total = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop();
    const p = all.get(pid);
    if (p) {
      const seconds = p.cpu / 100; // USER_HZ
      total += seconds;
      const kind = kindOf(p.cmd);
      byKind[kind] = (byKind[kind] ?? 0) + seconds;
    }
    for (const [child, s] of all) if (s.ppid === pid) queue.push(child);
  }
  return { total, byKind };
}

/** CPU seconds so far of `rootPid` and its descendants. */
export const treeCpuSeconds = (rootPid) => treeCpu(rootPid).total;
