/** A bad command line: printed with the command's usage, exit code 2. */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'CliUsageError';
  }
}
