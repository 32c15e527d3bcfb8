/** Chrome trace events (the JSON `browser.stopTracing()` returns), as much as is needed here. */
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Main-thread time of the page by trace event, self time (an event's duration minus the
 * events nested in it): where the time goes that a JavaScript CPU profile only shows as
 * "(program)" — HTML parsing, script compilation, style, layout, paint, garbage collection.
 * JavaScript itself is the self time of FunctionCall, RunMicrotasks and EvaluateScript.
 */
export function mainThreadBreakdown(trace: Buffer, top = 12): { name: string; ms: number }[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  // Intervals per thread from complete events and begin/end pairs.
  const byThread = new Map<string, { name: string; start: number; end: number }[]>();
  const open = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (!mains.includes(thread)) continue;
    const list = byThread.get(thread) ?? byThread.set(thread, []).get(thread)!;
    if (e.ph === 'X' && e.dur !== undefined) list.push({ name: e.name, start: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') (open.get(thread) ?? open.set(thread, []).get(thread)!).push(e);
    else if (e.ph === 'E') {
      const begin = open.get(thread)?.pop();
      if (begin) list.push({ name: begin.name, start: begin.ts, end: e.ts });
    }
  }
  // The page's main thread is the renderer thread that was busiest.
  const busiest = [...byThread.values()].sort((a, b) => busy(b) - busy(a))[0] ?? [];
  busiest.sort((a, b) => a.start - b.start || b.end - a.end);
  const self = new Map<string, number>();
  const stack: { name: string; start: number; end: number }[] = [];
  for (const ev of busiest) {
    while (stack.length && stack[stack.length - 1]!.end <= ev.start) stack.pop();
    const parent = stack[stack.length - 1];
    const dur = ev.end - ev.start;
    self.set(ev.name, (self.get(ev.name) ?? 0) + dur);
    if (parent && ev.end <= parent.end) self.set(parent.name, (self.get(parent.name) ?? 0) - dur);
    stack.push(ev);
  }
  return [...self]
    .map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

function busy(list: { start: number; end: number }[]): number {
  return list.reduce((sum, e) => sum + (e.end - e.start), 0);
}
