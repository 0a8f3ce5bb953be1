/** The engine choices a spec or the command line may name (kept apart so the schema needs no engine code). */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
