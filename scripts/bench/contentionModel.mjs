#!/usr/bin/env node
// A model of N writers racing for one branch, used to try contention controls before
// measuring them. Not a benchmark of gitfleet: bench:store is, and it disagreed with this
// model at 200 writers (docs/decisions.md, "Contention: doubling stays"): the model counts
// an attempt's CPU as measured uncontended, and under a storm an attempt costs more.
//   node scripts/bench/contentionModel.mjs [--seeds 3]
//
// Each attempt is fetch (reads the head) -> plan and commit -> push advertisement (lost if
// the head moved) -> push body (lost if the head moved meanwhile: the remote's
// compare-and-swap). Every phase waits a fixed latency, then needs CPU; CPU is shared
// equally among the running phases (processor sharing). Environments:
//   2 cores    every writer, its git processes and the server on two cores (bench:store here)
//   slow       the same, each phase 2.5x slower (the slower machine)
//   fleet      every writer on its own machine: only the branch is shared
import { pathToFileURL } from 'node:url';

const PHASES = { fetch: 20, commit: 12, advert: 10, body: 14 };

function seeded(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Runs one race of `writers`; returns landed, wall (ms) and attempts per commit. */
export function race({ writers, policy, seed = 1, cores = 2, phases = PHASES, latency = 5, deadline = 600_000 }) {
  const random = seeded(seed);
  let now = 0;
  let head = 0;
  let attempts = 0;
  const running = new Set();
  const timers = [];
  const at = (time, fn) => timers.push({ time, fn });
  const phase = (work, then) => at(now + latency, () => running.add({ left: work, then }));
  const all = [];
  /** What no real writer knows: how many are still racing (for the oracle bound only). */
  const world = { pending: writers, cycle: phases.fetch + phases.commit + phases.advert + phases.body + 4 * latency };
  const attempt = (w) => {
    attempts++;
    w.cycleStart = now;
    const seen = head;
    phase(phases.fetch, () => {
      if (w.base !== undefined) w.control.sawLanded(seen - w.base);
      w.base = seen;
      phase(phases.commit, () =>
        phase(phases.advert, () => {
          if (head !== w.base) return lost(w);
          phase(phases.body, () => {
            if (head !== w.base) return lost(w);
            head++;
            world.pending--;
            w.landedAt = now;
          });
        }),
      );
    });
  };
  const lost = (w) => {
    if (now > deadline) return;
    at(now + w.control.rejected(now - w.cycleStart), () => attempt(w));
  };
  for (let i = 0; i < writers; i++) {
    const w = { control: policy(random, () => now, world) };
    all.push(w);
    at(w.control.first?.() ?? 0, () => attempt(w));
  }
  while (running.size || timers.length) {
    const rate = running.size ? Math.min(1, cores / running.size) : 0;
    let cpuNext = Infinity;
    let job = null;
    for (const j of running) if (j.left / rate < cpuNext) [cpuNext, job] = [j.left / rate, j];
    let t = -1;
    for (let i = 0; i < timers.length; i++) if (t < 0 || timers[i].time < timers[t].time) t = i;
    const timerNext = t < 0 ? Infinity : timers[t].time - now;
    const step = Math.min(cpuNext, timerNext);
    for (const j of running) j.left -= step * rate;
    now += step;
    if (cpuNext <= timerNext) {
      running.delete(job);
      job.then();
    } else timers.splice(t, 1)[0].fn();
  }
  const landed = all.filter((w) => w.landedAt !== undefined);
  return { landed: landed.length, wall: Math.max(...landed.map((w) => w.landedAt)), attemptsPerCommit: attempts / landed.length };
}

/** Binary exponential backoff in slots of the smoothed cycle: what gitfleet does (src/store/backoff.ts). */
export function doubling(random) {
  let level = 0;
  let slot;
  return {
    sawLanded() {},
    rejected(cycle) {
      slot = slot === undefined ? cycle : slot * 0.7 + cycle * 0.3;
      level = Math.min(14, level + 1);
      return random() * Math.min(120_000, Math.max(25, slot) * 2 ** level);
    },
  };
}

/** The contender estimate that was measured and dropped (growth ×2, drain at most a fifth per look). */
export function estimate(random, _clock, { growth = 2, keep = 0.8 } = {}) {
  let contenders = 1;
  let slot;
  return {
    sawLanded(count) {
      contenders = Math.max(1, contenders * keep, contenders - count);
    },
    rejected(cycle) {
      slot = slot === undefined ? cycle : slot * 0.7 + cycle * 0.3;
      contenders *= growth;
      return random() * Math.min(120_000, contenders * Math.max(25, slot));
    },
  };
}

/** Its first version, also measured and dropped: growth ×1.5 + 1, drain at most a third per look. */
export function eager(random, _clock) {
  let contenders = 1;
  let slot;
  return {
    sawLanded(count) {
      contenders = Math.max(1, contenders * 0.67, contenders - count);
    },
    rejected(cycle) {
      slot = slot === undefined ? cycle : slot * 0.7 + cycle * 0.3;
      contenders = contenders * 1.5 + 1;
      return random() * Math.min(120_000, contenders * Math.max(25, slot));
    },
  };
}

/** A bound, not a law: every writer knows how many still race and keeps two attempts in flight. */
export function oracle(random, _clock, world) {
  const wait = () => random() * world.pending * world.cycle;
  return { first: wait, sawLanded() {}, rejected: wait };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seeds = process.argv.includes('--seeds') ? Number(process.argv[process.argv.indexOf('--seeds') + 1]) : 3;
  const envs = {
    '2 cores': {},
    slow: { phases: { fetch: 50, commit: 30, advert: 25, body: 35 }, latency: 12 },
    fleet: { cores: Infinity },
  };
  const policies = { doubling, estimate, eager, oracle };
  console.log('| machine | control | writers | landed | attempts per commit | of single-writer rate |\n| --- | --- | --- | --- | --- | --- |');
  for (const [name, env] of Object.entries(envs)) {
    const single = 1000 / race({ writers: 1, policy: doubling, ...env }).wall;
    for (const [policyName, policy] of Object.entries(policies)) {
      for (const writers of [10, 50, 200, 500]) {
        const runs = Array.from({ length: seeds }, (_, i) => race({ writers, policy, seed: i + 1, ...env }));
        const mean = (f) => runs.reduce((sum, r) => sum + f(r), 0) / runs.length;
        const rate = mean((r) => r.landed / (r.wall / 1000)) / single;
        console.log(
          `| ${name} | ${policyName} | ${writers} | ${mean((r) => r.landed)} | ${mean((r) => r.attemptsPerCommit).toFixed(2)} | ${rate.toFixed(2)}× |`,
        );
      }
    }
  }
}
