export interface SafeJsonResult {
  value?: unknown;
  error?: string;
}

/**
 * JSON.parse with the guards that untrusted repository files need: a nesting-depth
 * limit checked by a linear scan before parsing (so a file of ten thousand '[' cannot
 * exhaust the stack of the parser or of the validator), and a readable reason instead
 * of an exception.
 */
export function parseJsonSafely(text: string, maxDepth = 32): SafeJsonResult {
  const depth = maxNesting(text);
  if (depth > maxDepth) return { error: `JSON nested deeper than ${maxDepth} levels` };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `invalid JSON: ${(error as Error).message}` };
  }
}

function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}
