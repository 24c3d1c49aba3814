/**
 * SIGINT and SIGTERM as a request to stop, listened for before a command says it is ready.
 *
 * Until a Node process listens for a signal, the signal keeps its default action: the kernel ends the
 * process at once (exit by signal, nothing closed or flushed). A script or test that sends SIGTERM as soon
 * as it reads "ready" (or a dashboard's `end` frame) can be scheduled before the announcing process runs its
 * next statement, so listening after announcing loses that race on a busy machine. Hence: listen, then
 * announce.
 */

/** Call `stop` on SIGINT or SIGTERM (each listened for once); returns the function that stops listening. */
export function onStopSignal(stop: () => void): () => void {
  const onSignal = () => stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

/**
 * Listen for SIGINT / SIGTERM, then `announce` (the process is ready, or its work is over); resolves at the
 * first signal, or after `forMs` when given, and stops listening.
 */
export function untilStopSignal(announce: () => void, forMs?: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = onStopSignal(() => finish());
    function finish() {
      off();
      if (timer !== null) clearTimeout(timer);
      resolve();
    }
    if (forMs !== undefined) timer = setTimeout(finish, forMs);
    announce();
  });
}
