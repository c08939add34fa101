/** Where a command writes. Tests pass string sinks; the real command passes process streams. */
export interface Io {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/** An error the user caused: printed as one line, with exit status 2 for usage and 1 for bad input. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly status: number = 1,
  ) {
    super(message);
  }
}

/** A command of the `attune` tool. */
export interface Command {
  readonly name: string;
  /** One line for `attune --help`. */
  readonly summary: string;
  /** The full text for `attune NAME --help`. */
  readonly help: string;
  run(args: readonly string[], io: Io): Promise<void> | void;
}
