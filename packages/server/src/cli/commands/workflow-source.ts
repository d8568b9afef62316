import { readFile } from 'node:fs/promises';
import { formatOfFile, SOURCE_FORMATS, type SourceFormat } from '../../workflows/index.ts';
import { CliUsageError } from '../cli-error.ts';
import { oneOf } from '../command.ts';

/** Reads the file named on the command line; an unreadable file is a bad argument (exit 2). */
export async function readWorkflowFile(
  values: Record<string, string | boolean | undefined>,
  usage: string,
): Promise<{ file: string; text: string; format: SourceFormat }> {
  const file = String(values.file);
  const format =
    values.format === undefined
      ? formatOfFile(file)
      : oneOf(String(values.format), SOURCE_FORMATS, 'format', usage);
  try {
    return { file, text: await readFile(file, 'utf8'), format };
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliUsageError(`Cannot read ${file}${code ? ` (${code})` : ''}`, usage);
  }
}
