import { field, oneLine, textOf } from './cleanText.js';

/**
 * One line about coordination/locks.json. Build took a lock (held by a server until a
 * time) around each shared-file edit; gitfleet needs none (every change is a
 * compare-and-swap transaction), so locks are said, not imported.
 */
export function describeLocks(value: unknown): string {
  const locks = field(value, 'locks') ?? value;
  if (locks === null || typeof locks !== 'object' || Array.isArray(locks)) return 'not an object of locks: nothing to say about it';
  const held = Object.entries(locks as Record<string, unknown>)
    .map(([name, lock]) => ({ name, by: textOf(field(lock, 'locked_by', 'holder', 'owner')) }))
    .filter((l) => l.by);
  const total = Object.keys(locks).length;
  const list = held
    .slice(0, 5)
    .map((l) => `${oneLine(l.name, 40)} by ${oneLine(l.by!, 40)}`)
    .join(', ');
  return `${total} Build lock${total === 1 ? '' : 's'}${held.length ? ` (${held.length} held: ${list}${held.length > 5 ? ', ...' : ''})` : ' (none held)'}: not imported; gitfleet needs no locks, each change is a compare-and-swap transaction`;
}
