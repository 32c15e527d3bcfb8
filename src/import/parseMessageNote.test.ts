import { describe, expect, it } from 'vitest';
import { parseMessageNote } from './parseMessageNote.js';

const note = (path: string, text: string | Uint8Array) => parseMessageNote(path, typeof text === 'string' ? new TextEncoder().encode(text) : text);

describe('parseMessageNote', () => {
  it.each([
    [
      'mail-like headers',
      'messages/a.txt',
      'From: build2\nTo: build1\nSubject: Re: green\nDate: 2025-10-29 14:30:00\n\nThanks.\nTo: not a header here\n',
      { from: 'build2', to: 'build1', subject: 'Re: green', createdAt: '2025-10-29T14:30:00.000Z', body: 'Thanks.\nTo: not a header here\n' },
      'read as: headers',
    ],
    [
      'markdown title and bold headers',
      'messages/b.txt',
      '# Maven cache corrupted\n\n**From:** build1\n**To:** all\n**Date:** 2025-10-29T15:00:00Z\n\n---\n\nI wiped it.\n',
      { from: 'build1', to: 'all', subject: 'Maven cache corrupted', createdAt: '2025-10-29T15:00:00.000Z', body: 'I wiped it.\n' },
      'read as: markdown',
    ],
    [
      'markdown list headers with the colon outside the bold',
      'messages/c.txt',
      '## Deploy\n- **From**: build2\n- **Subject**: Deploy done\n\nok',
      { from: 'build2', subject: 'Deploy done', body: 'ok' },
      'read as: markdown',
    ],
    [
      'everything in the file name',
      'messages/20251029-140000_build1_build2_deploy_window_tonight.txt',
      'Deploy at 22:00.\n',
      { from: 'build1', to: 'build2', subject: 'deploy window tonight', createdAt: '2025-10-29T14:00:00.000Z', body: 'Deploy at 22:00.\n' },
      'read as: file name',
    ],
    [
      'headers win over the file name',
      'messages/20251029_140000_build1_build2_x.txt',
      'From: build3\n\nbody',
      { from: 'build3', to: 'build2', subject: 'x', createdAt: '2025-10-29T14:00:00.000Z', body: 'body' },
      'read as: headers + file name',
    ],
    ['no headers at all', 'messages/plain.txt', 'rotate the keys\nsoon\n', { body: 'rotate the keys\nsoon\n' }, 'read as: plain text (no headers)'],
    [
      'CRLF line ends',
      'messages/crlf.txt',
      'Subject: hi\r\nFrom: build1\r\n\r\nbody\r\n',
      { from: 'build1', subject: 'hi', body: 'body\n' },
      'read as: headers',
    ],
  ])('%s', (_name, path, text, expected, style) => {
    const draft = note(path, text)!;
    expect(draft).toMatchObject({ key: path, ...expected });
    expect(draft.notes[0]).toBe(style);
  });

  it('says what it could not read', () => {
    expect(note('messages/x.txt', 'Date: someday\n\nbody')!.notes).toEqual([
      'read as: headers',
      'Date "someday" not understood',
      'no time: no Date header and no time in the file name',
    ]);
  });

  it('refuses binary files and text that is not UTF-8', () => {
    expect(note('messages/x.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00]))).toBeNull();
    expect(note('messages/x.txt', new Uint8Array([0x68, 0xff, 0xfe]))).toBeNull();
  });
});
