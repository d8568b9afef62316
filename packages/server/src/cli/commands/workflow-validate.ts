import { BUILTIN_STEP_TYPES, createStepTypeRegistry, validateWorkflowSource } from '../../workflows/index.ts';
import type { Command } from '../command.ts';
import { printProblems } from './workflow-output.ts';
import { readWorkflowFile } from './workflow-source.ts';

const usage = `Usage: shoal workflow validate FILE [--format yaml|json] [--json]

Checks a workflow definition locally, without a server, and prints every problem with its line
and column. Exit code 0: valid, 1: invalid, 2: bad arguments. FILE ending in .json is read as
JSON, anything else as YAML.`;

export const workflowValidateCommand: Command = {
  name: 'workflow validate',
  summary: 'Check a workflow file locally',
  usage,
  options: { format: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['file'],
  async run(values, io) {
    const { file, text, format } = await readWorkflowFile(values, usage);
    const result = validateWorkflowSource(text, format, {
      stepTypes: createStepTypeRegistry(BUILTIN_STEP_TYPES),
    });
    if (values.json) {
      io.out(
        JSON.stringify(
          result.ok
            ? { valid: true, name: result.definition.name, contentHash: result.contentHash }
            : { valid: false, problems: result.problems },
        ),
      );
      return result.ok ? 0 : 1;
    }
    if (!result.ok) {
      printProblems(io, file, result.problems);
      return 1;
    }
    const steps = result.definition.steps.length;
    io.out(
      `${file}: valid workflow ${result.definition.name} (${steps} step${steps === 1 ? '' : 's'}, sha256 ${result.contentHash.slice(0, 12)})`,
    );
    return 0;
  },
};
