/**
 * The graph of steps through `needs`: an edge a → b means "a needs b" (b runs first).
 * Unknown ids in needs are ignored here; the validator reports them on their own.
 */
export type NeedsGraph = ReadonlyMap<string, readonly string[]>;

/**
 * One cycle per strongly connected component that has one, each as a path that starts and
 * ends at the same step, e.g. `['a', 'b', 'c', 'a']` for a needs b, b needs c, c needs a.
 * Components and their start steps follow the order of `graph`.
 */
export function findCycles(graph: NeedsGraph): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component);
    const start = [...graph.keys()].find((id) => members.has(id));
    if (start === undefined) continue;
    const cycle = shortestCycleThrough(graph, start, members);
    if (cycle) cycles.push(cycle);
  }
  return cycles;
}

/** Tarjan's algorithm, iterative so a 1,000-step chain cannot overflow the stack. */
function stronglyConnected(graph: NeedsGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const edges = (id: string) => (graph.get(id) ?? []).filter((to) => graph.has(to));

  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; edge: number }[] = [{ id: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next);
    next += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; edge: number };
      const out = edges(frame.id);
      if (frame.edge < out.length) {
        const to = out[frame.edge] as string;
        frame.edge += 1;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next);
          next += 1;
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        for (;;) {
          const id = stack.pop() as string;
          onStack.delete(id);
          component.push(id);
          if (id === frame.id) break;
        }
        const selfLoop = component.length === 1 && edges(frame.id).includes(frame.id);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first inside one component, so the reported cycle is a shortest one through `start`. */
function shortestCycleThrough(
  graph: NeedsGraph,
  start: string,
  members: ReadonlySet<string>,
): string[] | null {
  const parent = new Map<string, string>();
  const queue: string[] = [start];
  const seen = new Set<string>([start]);
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const to of graph.get(id) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [id];
        for (let at = id; at !== start;) {
          at = parent.get(at) as string;
          path.push(at);
        }
        return [...path.reverse(), start];
      }
      if (!seen.has(to)) {
        seen.add(to);
        parent.set(to, id);
        queue.push(to);
      }
    }
  }
  return null;
}

/** Every step a step needs, directly or through others (its upstream), for every step. */
export function upstreamOf(graph: NeedsGraph): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const id of graph.keys()) {
    const seen = new Set<string>();
    const frontier = [...(graph.get(id) ?? [])];
    while (frontier.length > 0) {
      const next = frontier.pop() as string;
      if (seen.has(next) || !graph.has(next)) continue;
      seen.add(next);
      frontier.push(...(graph.get(next) ?? []));
    }
    result.set(id, seen);
  }
  return result;
}
