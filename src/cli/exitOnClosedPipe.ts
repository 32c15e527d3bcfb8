/**
 * `gitfleet log | head` closes the pipe while gitfleet still writes: the next write fails
 * with EPIPE, which Node reports as an unhandled 'error' event, a stack trace and exit 1.
 * A reader that has gone is not an error of ours: stop at once and quietly, as a Unix
 * program killed by SIGPIPE does (every write of gitfleet is a compare-and-swap
 * transaction that survives being stopped at any point). Other stream errors are kept.
 */
export function exitOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw error;
    });
  }
}
