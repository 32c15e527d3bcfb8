/**
 * README sections generated from code sit between `<!-- name:start ... -->` and
 * `<!-- name:end -->` lines; the text between them is replaced as a whole.
 */
export function readmeSection(readme: string, name: string): string | null {
  const match = new RegExp(`<!-- ${name}:start[^>]*-->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme);
  return match ? (match[1] ?? '') : null;
}

export function replaceReadmeSection(readme: string, name: string, body: string): string {
  if (readmeSection(readme, name) === null) throw new Error(`README.md has no ${name} markers`);
  return readme.replace(
    new RegExp(`(<!-- ${name}:start[^>]*-->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`),
    (_all, start: string, end: string) => `${start}${body}${end}`,
  );
}
