import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError } from '../errors/index.js';

export interface ReadLocalFileOptions {
  /** What the file is, for the message: "config file", "token file". */
  what: string;
  maxBytes: number;
  /** What to do about a file that cannot be read (the path given where, usually). */
  hint: string;
}

// O_NONBLOCK: opening a FIFO for reading otherwise blocks until some writer opens it.
// It changes nothing for a regular file, and anything else is refused right after.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a file a user named (--config, GITFLEET_TOKEN_FILE, tokenFile): a regular file
 * only, checked on the open descriptor (so a swap between check and read cannot slip a
 * device in), and never more than `maxBytes` (a file that grows while read is refused
 * too). `/dev/zero`, a FIFO or a folder fail at once with one line naming the file.
 */
export function readLocalFileSync(file: string, options: ReadLocalFileOptions): string {
  const { what, maxBytes, hint } = options;
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`cannot read ${what} ${file} (${code})`, { hint: code === 'ENOENT' ? hint : 'check its permissions' });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new ConfigError(`${what} ${file} is not a regular file (${kindOf(stat)})`, { hint: `${hint}; gitfleet reads only regular files` });
    }
    const tooLarge = () => new ConfigError(`${what} ${file} is larger than ${Math.floor(maxBytes / 1024)} KiB`, { hint: `${hint}; it should be far smaller` });
    if (stat.size > maxBytes) throw tooLarge();
    // One byte more than allowed tells a file that grew past the cap from one that fits.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge();
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { hint: 'check its permissions' });
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
