import type { CliIo } from '../command.ts';

interface PrintableProblem {
  code: string;
  message: string;
  path: string;
  line?: number | undefined;
  column?: number | undefined;
}

/** Problems the way compilers print them, so editors and terminals can jump to each one. */
export function printProblems(io: CliIo, file: string, problems: readonly PrintableProblem[]): void {
  for (const problem of problems) {
    const at = problem.line ? `${file}:${problem.line}:${problem.column ?? 1}` : file;
    const path = problem.path ? ` (at ${problem.path})` : '';
    io.err(`${at}: ${problem.code} ${problem.message}${path}`);
  }
  io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}`);
}
