import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { GfApp } from '../../dashboard/src/components/gf-app.js';
import type { GfSearchBox } from '../../dashboard/src/components/gf-search-box.js';
import type { GfEvent } from '../../dashboard/src/components/gfEvents.js';
import type { Route } from '../../dashboard/src/view/route.js';

const COMPONENTS = path.resolve(import.meta.dirname, '../../dashboard/src/components');

describe('dashboard element typing', () => {
  it('declares every element in HTMLElementTagNameMap under the name it is defined with', () => {
    const files = readdirSync(COMPONENTS).filter((f) => /^gf-.*\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(path.join(COMPONENTS, file), 'utf8');
      const tag = file.replace(/\.ts$/, '');
      const defined = new RegExp(`customElements\\.define\\('${tag}', (\\w+)\\)`).exec(text);
      expect(defined, file).not.toBeNull();
      expect(text, file).toMatch(new RegExp(`interface HTMLElementTagNameMap \\{\\s*'${tag}': ${defined?.[1]};`));
    }
  });

  it('types the elements by tag and the events by name (checked by tsc)', () => {
    expectTypeOf<HTMLElementTagNameMap['gf-app']>().toEqualTypeOf<GfApp>();
    expectTypeOf<HTMLElementTagNameMap['gf-search-box']>().toEqualTypeOf<GfSearchBox>();
    expectTypeOf<HTMLElementEventMap['search']>().toEqualTypeOf<CustomEvent<string>>();
    expectTypeOf<GfEvent<'navigate'>['detail']>().toEqualTypeOf<Route>();
    expectTypeOf<HTMLElementEventMap['refresh']>().toEqualTypeOf<CustomEvent<null>>();
  });
});
