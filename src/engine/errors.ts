/**
 * Typed errors of the training engine. Library code throws these; only src/cli prints them.
 */

/** A backend could not be created, or a kernel was asked for something it cannot do. */
export class EngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }
}
