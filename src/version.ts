import pkg from '../package.json' with { type: 'json' };

/** The gitfleet version, from package.json (bundled at build time). */
export const VERSION: string = pkg.version;
