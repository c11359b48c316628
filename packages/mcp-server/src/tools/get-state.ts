import { readPlanningState } from '@gsd/core';
import { validateWorkingDir } from '@gsd/session-manager';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { runTool } from '../result.js';

export function registerGetState(server: McpServer): void {
  server.registerTool(
    'gsd_get_state',
    {
      description:
        "Read a project's GSD state from its .planning directory: phases with status and plan counts, the " +
        'current phase and plan, the next command to run (e.g. /gsd:execute-plan <path>), and where ROADMAP, ' +
        'STATE and the files disagree.',
      inputSchema: { workingDir: z.string().describe('Project directory (the one holding .planning)') },
    },
    ({ workingDir }) => runTool(() => readPlanningState(validateWorkingDir(workingDir))),
  );
}
