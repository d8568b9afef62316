import { createShoalClient, ShoalApiError } from '@shoal/sdk';
import { loadConfig } from '../../config/index.ts';
import { CliUsageError } from '../cli-error.ts';
import type { Command } from '../command.ts';
import { printProblems } from './workflow-output.ts';
import { readWorkflowFile } from './workflow-source.ts';

const usage = `Usage: shoal workflow apply FILE [--url URL] [--api-key KEY] [--format yaml|json] [--json]

Publishes a workflow definition to a Shoal server over its HTTP API: a new version when the
definition changed, the latest version when it did not (publishing also unarchives).
Options:
  --url URL       server (default $SHOAL_URL or http://localhost:8080)
  --api-key KEY   API key with workflows.write (default $SHOAL_API_KEY)
  --format F      yaml | json (default: from the file name; .json is JSON, else YAML)
  --json          print the server's answer as JSON
Exit code 0: published, 1: invalid definition or refused by the server, 2: bad arguments.`;

interface Problem {
  code: string;
  message: string;
  path: string;
  line?: number;
  column?: number;
}

export const workflowApplyCommand: Command = {
  name: 'workflow apply',
  summary: 'Publish a workflow file to a server',
  usage,
  options: {
    url: { type: 'string' },
    'api-key': { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: ['file'],
  async run(values, io) {
    const config = loadConfig(io.env);
    const baseUrl = typeof values.url === 'string' ? values.url : config.SHOAL_URL;
    const apiKey = typeof values['api-key'] === 'string' ? values['api-key'] : config.SHOAL_API_KEY;
    if (!apiKey) throw new CliUsageError('Missing API key: pass --api-key or set SHOAL_API_KEY', usage);
    let client: ReturnType<typeof createShoalClient>;
    try {
      client = createShoalClient({ baseUrl, apiKey });
    } catch (error) {
      throw new CliUsageError((error as Error).message, usage);
    }
    const { file, text, format } = await readWorkflowFile(values, usage);
    try {
      const result = await client.publishWorkflow({ source: text, format });
      if (values.json) io.out(JSON.stringify(result));
      else {
        const state = result.created ? 'new' : 'unchanged';
        const unarchived = result.unarchived ? ', unarchived' : '';
        io.out(
          `workflow ${result.workflow.name} version ${result.version.version} (${state}${unarchived}, sha256 ${result.version.contentHash.slice(0, 12)})`,
        );
      }
      return 0;
    } catch (error) {
      if (error instanceof ShoalApiError) {
        const problems = (error.details?.problems ?? []) as Problem[];
        if (error.code === 'WORKFLOW_INVALID' && problems.length > 0) printProblems(io, file, problems);
        else io.err(`Error ${error.code}: ${error.message}`);
        return 1;
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      io.err(`Error: cannot reach ${baseUrl}${cause ? ` (${cause})` : `: ${(error as Error).message}`}`);
      return 1;
    }
  },
};
