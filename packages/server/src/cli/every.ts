/**
 * Runs `pass` now and then every `intervalMs`, one pass at a time (a slow pass delays the next,
 * never overlaps it). The returned stop function waits for the pass under way.
 */
export function every(intervalMs: number, pass: () => Promise<void>): () => Promise<void> {
  let running = pass();
  const timer = setInterval(() => {
    running = running.then(pass);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
