/** Diagnostics sink. The CLI prints to stderr; library callers pass their own or get silence. */
export interface Logger {
  /** Progress a person wants to see (suppressed by `--quiet`). */
  info(message: string): void;
  /** Something worth acting on that did not stop the run. */
  warn(message: string): void;
  /** Details for `--verbose`. */
  debug(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  debug() {},
};
