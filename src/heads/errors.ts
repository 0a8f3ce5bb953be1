/** Settings of a head that contradict each other; validation reports the same text via problems(). */
export class HeadSettingsError extends Error {
  constructor(
    /** The head's name in the spec. */
    readonly head: string,
    message: string,
  ) {
    super(`head "${head}": ${message}`);
    this.name = 'HeadSettingsError';
  }
}
