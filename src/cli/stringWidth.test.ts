import realStringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import stringWidth from './stringWidth.js';

// What yargs measures: option names, descriptions, defaults, choices; and what a user may type.
const corpus = [
  '',
  '  --repo            Fleet repository: https or ssh URL, or a local path (GITFLEET_REPO)  [string]',
  '[choices: "critical", "high", "normal", "low"] [default: "normal"]',
  '\u001b[31mred\u001b[0m text',
  'café',
  'cafe\u0301',
  '日本語のヘルプ',
  'ｆｕｌｌｗｉｄｔｈ',
  '한국어',
  'emoji 🚀 and 😀',
  'tab\there',
  'zero\u200bwidth',
];

describe('stringWidth (in place of the string-width package in the build)', () => {
  it.each(corpus)('measures %j as string-width does', (text) => {
    expect(stringWidth(text)).toBe(realStringWidth(text));
  });
});
