/**
 * Source maps are left out of what `serve` and `site` publish unless asked for: they
 * carry the dashboard's sources and the build machine's paths, and a published site has
 * no use for them. The link comment goes too, so browsers do not ask for a missing file.
 */
export function isSourceMap(name: string): boolean {
  return /\.map$/i.test(name);
}

/** A bundle without its trailing `sourceMappingURL` comment (JavaScript or CSS form). */
export function withoutSourceMapLink(code: string): string {
  return code.replace(/\n?(\/\/# sourceMappingURL=[^\n]*|\/\*# sourceMappingURL=[^*]*\*\/)\s*$/, '\n');
}
