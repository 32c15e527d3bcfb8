/** A transaction's label as a commit subject: one line, control characters gone, at most 120 characters. */
export function commitSubject(label: string): string {
  const line = label.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line || 'gitfleet';
}

/** Who a commit of `actor` (a server id or op:<name>) is written by. */
export function commitAuthor(actor: string): { authorName: string; authorEmail: string } {
  return { authorName: actor, authorEmail: `${actor.replace(':', '.')}@gitfleet.invalid` };
}
