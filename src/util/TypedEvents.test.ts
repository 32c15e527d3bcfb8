import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { logEvents, TypedEvents } from './TypedEvents.js';

type Demo = { 'txn.done': { label: string; attempts: number }; 'cache.recover': { reason: string } };

describe('TypedEvents', () => {
  it('delivers each event to its listeners and to any-listeners, until unsubscribed', () => {
    const events = new TypedEvents<Demo>();
    const seen: string[] = [];
    const off = events.on('txn.done', (p) => seen.push(`done ${p.label} ${p.attempts}`));
    events.onAny((name) => seen.push(`any ${name}`));
    events.emit('txn.done', { label: 'a', attempts: 2 });
    off();
    events.emit('txn.done', { label: 'b', attempts: 1 });
    events.emit('cache.recover', { reason: 'x' });
    expect(seen).toEqual(['done a 2', 'any txn.done', 'any txn.done', 'any cache.recover']);
  });

  it('next() resolves with the first matching payload', async () => {
    const events = new TypedEvents<Demo>();
    const waiting = events.next('txn.done', (p) => p.attempts > 1);
    events.emit('txn.done', { label: 'first', attempts: 1 });
    events.emit('txn.done', { label: 'second', attempts: 3 });
    await expect(waiting).resolves.toEqual({ label: 'second', attempts: 3 });
  });

  it('a listener that throws does not stop the emitter or other listeners', () => {
    const events = new TypedEvents<Demo>();
    const seen: string[] = [];
    events.on('cache.recover', () => {
      throw new Error('boom');
    });
    events.on('cache.recover', (p) => seen.push(p.reason));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    expect(() => events.emit('cache.recover', { reason: 'damaged pack' })).not.toThrow();
    expect(seen).toEqual(['damaged pack']);
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', onWarning);
        expect(warnings.some((w) => w.includes('cache.recover') && w.includes('boom'))).toBe(true);
        resolve();
      }),
    );
  });

  it('the logger subscribes with one level per event', () => {
    const events = new TypedEvents<Demo>();
    const lines: string[] = [];
    logEvents(events, createLogger({ level: 'info', write: (l) => lines.push(l) }), { 'txn.done': 'debug', 'cache.recover': 'warn' });
    events.emit('txn.done', { label: 'quiet', attempts: 1 });
    events.emit('cache.recover', { reason: 'damaged' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ warn cache\.recover reason=damaged$/);
  });
});
