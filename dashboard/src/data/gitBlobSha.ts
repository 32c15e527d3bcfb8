/** The id git gives a file's content (SHA-1 of "blob <size>\0<bytes>"), to compare with a tree entry. */
export async function gitBlobSha(text: string): Promise<string> {
  const body = new TextEncoder().encode(text);
  const header = new TextEncoder().encode(`blob ${body.byteLength}\0`);
  const all = new Uint8Array(header.byteLength + body.byteLength);
  all.set(header);
  all.set(body, header.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
