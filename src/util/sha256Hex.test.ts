import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256Hex.js';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('matches the published test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches node:crypto at every padding boundary and on text that is not ASCII', () => {
    for (let length = 0; length <= 200; length++) {
      const ascii = randomBytes(length).toString('base64').slice(0, length);
      expect(sha256Hex(ascii), `length ${length}`).toBe(reference(ascii));
    }
    for (const text of ['héllo wörld', '127.0.0.1-8470-fleet.git\nmain\ncli', '日本語のサーバー名', '\u{1F680} emoji', 'a'.repeat(1000)]) {
      expect(sha256Hex(text), text).toBe(reference(text));
    }
  });
});
