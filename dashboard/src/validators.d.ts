// Generated at build time by scripts/build-dashboard.mjs from shared/*.schema.json
// (ajv standalone code): one validate function per record kind.
declare module 'gitfleet:validators' {
  interface StandaloneValidate {
    (data: unknown): boolean;
    errors?: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] | null;
  }
  export const fleet: StandaloneValidate;
  export const status: StandaloneValidate;
  export const job: StandaloneValidate;
  export const message: StandaloneValidate;
  export const receipts: StandaloneValidate;
  export const notifications: StandaloneValidate;
  export const coordinator: StandaloneValidate;
}
