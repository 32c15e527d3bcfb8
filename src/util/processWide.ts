/**
 * One value per process under `name`, shared by every copy of the module that asks for it.
 * The installed CLI runs two bundles that each hold a copy of some modules (the launcher
 * starts `status`'s fetch from dist/statusFetch.cjs before dist/cli.cjs has loaded:
 * src/cli/launcher.ts); state that stands for the process (locks it holds, fetches it
 * started) must not split in two with them.
 */
export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`gitfleet.${name}`);
  const holder = globalThis as { [key]?: T };
  if (!(key in holder)) holder[key] = create();
  return holder[key] as T;
}
