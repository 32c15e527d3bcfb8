// Types for scripts/check-layers.mjs, so the tests can call it from TypeScript.
export interface Layer {
  name: string;
  folders: string[];
}
export declare const LAYERS: Layer[];
export declare const GIT_DOORS: string[];
export declare const GIT_PACKAGES: string[];
export declare const BROWSER_SAFE: string[];
export declare const BROWSER_PACKAGES: string[];
export declare const KNOWN_VIOLATIONS: string[];
export declare function importsOf(text: string): { specifier: string; typeOnly: boolean }[];
export declare function layerOf(file: string): number;
export declare function checkLayers(root: string): string[];
export declare function runCheck(root: string, known?: readonly string[]): { lines: string[]; failed: boolean };
