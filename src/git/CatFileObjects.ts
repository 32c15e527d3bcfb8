import { type BatchAnswer, type BatchRequest, CatFileBatch, UnsupportedBatchModeError } from './CatFileBatch.js';

/**
 * The objects of a cache, read by one git process: `cat-file --batch-command` answers
 * both the sizes a tree listing asks for (`info`) and the bytes (`contents`), so a read
 * such as `gitfleet status` starts one reader instead of a `--batch` and a `--batch-check`.
 * A git older than 2.36 refuses the option; from then on this uses those two processes.
 */
export class CatFileObjects {
  readonly #command: CatFileBatch;
  #legacy: { contents: CatFileBatch; info: CatFileBatch } | undefined;

  constructor(
    private readonly cwd: () => string,
    private readonly env: () => Record<string, string>,
  ) {
    this.#command = new CatFileBatch('--batch-command', cwd, env);
  }

  /** Answers in request order; null for a name the cache does not hold. */
  async read(names: readonly string[], request: BatchRequest): Promise<(BatchAnswer | null)[]> {
    if (!this.#legacy) {
      try {
        return await this.#command.read(names, request);
      } catch (error) {
        if (!(error instanceof UnsupportedBatchModeError)) throw error;
        this.#command.close();
        this.#legacy ??= this.#twoProcesses();
      }
    }
    return this.#legacy[request].read(names);
  }

  /** Starts the reader before it is needed (while a fetch runs); see CatFileBatch.prestart. */
  prestart(): void {
    if (!this.#legacy) this.#command.prestart();
  }

  close(): void {
    this.#command.close();
    this.#legacy?.contents.close();
    this.#legacy?.info.close();
  }

  #twoProcesses(): { contents: CatFileBatch; info: CatFileBatch } {
    return { contents: new CatFileBatch('--batch', this.cwd, this.env), info: new CatFileBatch('--batch-check', this.cwd, this.env) };
  }
}
