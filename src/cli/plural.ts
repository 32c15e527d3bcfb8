/** "1 server", "2 servers": counts in CLI text read as English. */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}
