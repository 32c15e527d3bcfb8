import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPipedInput } from './readTextInput.js';

const pipe = (isTTY = false) => Object.assign(new PassThrough(), { isTTY });

describe('readPipedInput: stdin nobody asked for is read only when it speaks', () => {
  it('a pipe that ends: its text', async () => {
    const stdin = pipe();
    stdin.end('from a pipe\n');
    expect(await readPipedInput('body', 1024, { stdin, graceMs: 60_000 })).toEqual({ text: 'from a pipe\n' });
  });

  it('an empty pipe (like /dev/null): empty text, at once', async () => {
    const stdin = pipe();
    stdin.end();
    expect(await readPipedInput('body', 1024, { stdin, graceMs: 60_000 })).toEqual({ text: '' });
  });

  it('a producer that starts within the grace is read to its end', async () => {
    const stdin = pipe();
    stdin.write('part one, ');
    const reading = readPipedInput('body', 1024, { stdin, graceMs: 60_000 });
    stdin.end('part two');
    expect(await reading).toEqual({ text: 'part one, part two' });
  });

  it('a producer that spoke but has not ended within the grace is still read, and the wait is announced', async () => {
    const stdin = pipe();
    stdin.write('first line\n');
    let announced!: () => void;
    const longRead = new Promise<void>((resolve) => {
      announced = resolve;
    });
    const reading = readPipedInput('body', 1024, { stdin, graceMs: 10, onLongRead: () => announced() });
    await longRead;
    stdin.end('last line\n');
    expect(await reading).toEqual({ text: 'first line\nlast line\n' });
  });

  it('a pipe that stays open and silent is let go (and closed), not waited on', async () => {
    const stdin = pipe();
    expect(await readPipedInput('body', 1024, { stdin, graceMs: 20 })).toEqual({ skipped: 'silent' });
    expect(stdin.destroyed).toBe(true);
  });

  it('a terminal is never read', async () => {
    expect(await readPipedInput('body', 1024, { stdin: pipe(true), graceMs: 60_000 })).toEqual({ skipped: 'tty' });
  });

  it('the size limit still holds', async () => {
    const stdin = pipe();
    stdin.end('x'.repeat(4096));
    await expect(readPipedInput('body', 1024, { stdin, graceMs: 60_000 })).rejects.toThrow(/the body is larger than 1 KiB/);
  });
});
