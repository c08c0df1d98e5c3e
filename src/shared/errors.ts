/**
 * Typed errors with stable names. The CLI maps each to an exit code in one place (`exitCodeFor`);
 * every message says what happened and what to do next, and never holds a secret.
 */

export const ExitCode = {
  /** Written, or already current. */
  Ok: 0,
  /** `--check` found the file stale or missing. */
  Stale: 1,
  /** Usage, config, `--input` or local file error. */
  Usage: 2,
  /** Portal, network or response error. */
  Portal: 3,
  /** A defect of gen-ownertypes itself (sysexits' EX_SOFTWARE): the message asks for a bug report. */
  Defect: 70,
  /** Interrupted by SIGINT or SIGTERM. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** `cause`, and the option the error is about. */
interface ErrorDetails extends ErrorOptions {
  /**
   * The option as the library names it (`timeout`, `out`, `input`). The message names it the same way, in
   * backticks; the CLI prints its flag there instead (`--timeout`).
   */
  readonly option?: string;
}

abstract class GenOwnerTypesError extends Error {
  abstract readonly exitCode: ExitCode;
  /** The option the error is about, when it is about one: see `ErrorDetails.option`. */
  readonly option?: string;
  constructor(message: string, details?: ErrorDetails) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    if (details?.option !== undefined) this.option = details.option;
  }
}

/** Bad flags, a missing or ambiguous source, an invalid option value. */
export class UsageError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Usage;
}

/** An option's value, the config file, env file, Prettier config or tsconfig cannot be used. */
export class ConfigError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Usage;
}

/** The `--input` file cannot be read or is not a `crm.enum.ownertype` response or snapshot. */
export class InputError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Usage;
}

/** The output or snapshot cannot be written (not a regular file, permissions, disk full, a folder in the way). */
export class OutputError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Usage;
}

/** The portal answered with a Bitrix24 error body (`{"error": …, "error_description": …}`). */
export class PortalError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Portal;
  constructor(
    message: string,
    /** The portal's `error` code as sent (`INVALID_CREDENTIALS`); `""` when the portal sent none. */
    readonly error: string,
    /** The portal's `error_description`, verbatim (may be translated). */
    readonly errorDescription: string,
    /** The HTTP status of the answer. */
    readonly status: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The portal refused the pipeline and stage methods altogether (`crm.status.entity.types` denied, or every
 * `crm.status.list`): the run fails (exit 3) and the message says how to grant access or use `--no-pipelines`.
 * `status` is 0: the refusal came inside a batch answer, which has no HTTP status of its own.
 */
export class PipelinesRefusedError extends PortalError {
  constructor(
    message: string,
    /** The method refused: `crm.status.entity.types` or `crm.status.list`. */
    readonly method: string,
    error: string,
    errorDescription: string,
    options?: ErrorOptions,
  ) {
    super(message, error, errorDescription, 0, options);
  }
}

/** The portal could not be reached or did not answer in time; `cause` holds the underlying error. */
export class NetworkError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Portal;
}

/** The portal (or the `--input` file read as a response) answered something that is not a valid owner type list. */
export class InvalidResponseError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Portal;
}

/**
 * A defect of ours: an invariant broke, or something threw that no stage expected. Never caused by what a
 * user typed or what a portal sent (those have their own classes); exits 70 and asks for a bug report.
 */
export class InternalError extends GenOwnerTypesError {
  readonly exitCode = ExitCode.Defect;
}

export type GenOwnerTypesErrorType =
  | UsageError
  | ConfigError
  | InputError
  | OutputError
  | PortalError
  | NetworkError
  | InvalidResponseError
  | InternalError;

export function isGenOwnerTypesError(error: unknown): error is GenOwnerTypesErrorType {
  return error instanceof GenOwnerTypesError;
}

/** Exit code for anything thrown by the pipeline: typed errors carry theirs; anything else is a defect of ours. */
export function exitCodeFor(error: unknown): ExitCode {
  return isGenOwnerTypesError(error) ? error.exitCode : ExitCode.Defect;
}

/** The line printed for an error that is not one of ours: a bug report request, never blame on the user. */
export function defectMessage(error: unknown): string {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `internal error (a defect of gen-ownertypes, exit 70): ${detail}. Please report it as a bug of gen-ownertypes, with the output of the same command run with --verbose (it prints no secret).`;
}
