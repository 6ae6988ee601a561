/**
 * A second opinion on per-rule cost, next to ESLint's `stats`: a V8 CPU profile of a lint pass, each
 * sample charged to the innermost `src/rules/<rule>.ts` frame on its stack (so the ESLint helpers a
 * rule calls count for it), frames in the shared helper folders (`src/core`, `src/prisma`, `src/server`, `src/shutdown`, `src/logger`, `src/deploy-files`) outside any rule to shared helpers. Garbage-collector
 * samples are on no rule's stack, so a pause that happens to fall inside a listener is not charged to
 * it, as it is with `stats`' wall-clock timers.
 */
import { Session } from 'node:inspector';

interface ProfileNode {
  id: number;
  callFrame: { url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface RuleProfile {
  /** Profiled time of the whole pass, ms. */
  totalMs: number;
  /** `deploy-safe/<rule>` → ms of samples inside that rule's code (and what it calls). */
  byRule: Record<string, number>;
  /** Samples in the shared helper folders not under any rule frame (shared helpers called from elsewhere). */
  utilsMs: number;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

export async function profileRules(run: () => void, namespace = 'deploy-safe'): Promise<RuleProfile> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
    await post(session, 'Profiler.start');
    run();
    const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
    return attribute(profile, namespace);
  } finally {
    session.disconnect();
  }
}

function attribute(profile: Profile, namespace: string): RuleProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const owner = new Map<number, string | null>();
  const ownerOf = (id: number): string | null => {
    const cached = owner.get(id);
    if (cached !== undefined) return cached;
    const url = byId.get(id)?.callFrame.url ?? '';
    const rule = /\/src\/rules\/([^/]+)\.[cm]?[jt]s$/.exec(url)?.[1];
    let result: string | null;
    if (rule && rule !== 'index') result = `${namespace}/${rule}`;
    else {
      const up = parent.get(id);
      const above = up === undefined ? null : ownerOf(up);
      result = above ?? (/\/src\/(?:core|prisma|server|shutdown|logger|deploy-files)\//.test(url) ? '(utils)' : null);
    }
    owner.set(id, result);
    return result;
  };
  const byRule: Record<string, number> = {};
  let utilsMs = 0;
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    const who = ownerOf(id);
    if (who === '(utils)') utilsMs += ms;
    else if (who) byRule[who] = (byRule[who] ?? 0) + ms;
  });
  return { totalMs, byRule, utilsMs };
}
