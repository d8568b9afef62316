import { ROLES, type Role } from './roles.ts';

const ALL: readonly Role[] = ROLES;

/**
 * Every API action and the roles allowed to perform it. `docs/permissions.md` is generated
 * from this table (`npm run docs:generate`) and a test checks the two agree.
 */
export const PERMISSIONS = {
  'tenant.read': { roles: ALL, summary: 'Read the tenant' },
  'tenant.update': { roles: ['owner', 'admin'], summary: 'Rename the tenant' },
  'usage.read': {
    roles: ALL,
    summary:
      "Read the tenant's live usage (queue depth, running steps, wait times, quotas used) and its metered usage and spend",
  },
  'observability.read': {
    roles: ALL,
    summary: "Read the tenant's run, step, spend and failure statistics over a time range",
  },
  'session.read': { roles: ALL, summary: 'Read who you are' },
  'session.delete': { roles: ALL, summary: 'Log out' },
  'members.list': { roles: ALL, summary: 'List members' },
  'members.update': { roles: ['owner', 'admin'], summary: "Change a member's role" },
  'members.remove': { roles: ['owner', 'admin'], summary: 'Remove a member' },
  'invites.list': { roles: ['owner', 'admin'], summary: 'List invites' },
  'invites.create': { roles: ['owner', 'admin'], summary: 'Invite someone by email' },
  'invites.revoke': { roles: ['owner', 'admin'], summary: 'Revoke an invite' },
  'api_keys.list': { roles: ['owner', 'admin', 'developer'], summary: 'List API keys' },
  'api_keys.read': { roles: ['owner', 'admin', 'developer'], summary: 'Read an API key' },
  'api_keys.create': { roles: ['owner', 'admin', 'developer'], summary: 'Create an API key' },
  'api_keys.revoke': { roles: ['owner', 'admin', 'developer'], summary: 'Revoke an API key' },
  'audit.read': { roles: ['owner', 'admin', 'operator'], summary: 'Read audit events' },
  'audit.verify': { roles: ['owner', 'admin', 'operator'], summary: 'Verify the audit chain' },
  'workflows.read': { roles: ALL, summary: 'Read workflows, their versions and diffs' },
  'workflows.write': { roles: ['owner', 'admin', 'developer'], summary: 'Publish a workflow version' },
  'workflows.archive': { roles: ['owner', 'admin', 'developer'], summary: 'Archive a workflow' },
  'runs.read': { roles: ALL, summary: 'List runs and read a run with its steps and attempts' },
  'runs.start': { roles: ['owner', 'admin', 'developer', 'operator'], summary: 'Start a run of a workflow' },
  'runs.retry': {
    roles: ['owner', 'admin', 'developer', 'operator'],
    summary: 'Retry a failed or cancelled run from the steps that did not succeed',
  },
  'runs.cancel': { roles: ['owner', 'admin', 'developer', 'operator'], summary: 'Cancel a run' },
  'runs.decide': {
    roles: ['owner', 'admin', 'operator'],
    summary: 'Approve or reject a waiting approval step',
  },
  'tasks.work': {
    roles: ['owner', 'admin', 'developer', 'operator'],
    summary: "Poll a task queue, heartbeat, complete and fail tasks (an external worker's key)",
  },
  'webhooks.read': { roles: ALL, summary: "Read a workflow's webhook (never its secret)" },
  'webhooks.write': {
    roles: ['owner', 'admin', 'developer'],
    summary: "Enable or disable a workflow's webhook and rotate its secret",
  },
  'schedules.read': { roles: ALL, summary: 'List and read schedules' },
  'schedules.write': {
    roles: ['owner', 'admin', 'developer'],
    summary: 'Create, change, pause, resume and delete schedules',
  },
  'events.read': { roles: ALL, summary: 'List and read received events' },
  'events.send': {
    roles: ['owner', 'admin', 'developer', 'operator'],
    summary: 'Send an event (starts the runs of subscribed workflows)',
  },
  'llm.invoke': {
    roles: ['owner', 'admin', 'developer', 'operator'],
    summary: 'Call models through the gateway (chat completions, embeddings)',
  },
  'llm.read': { roles: ALL, summary: "List the tenant's models and its gateway calls" },
  'model_aliases.read': { roles: ALL, summary: 'List and read model aliases' },
  'model_aliases.write': {
    roles: ['owner', 'admin', 'developer'],
    summary: 'Create, change and delete model aliases',
  },
  'model_prices.read': { roles: ALL, summary: 'Read the price catalog and the tenant price overrides' },
  'model_prices.write': {
    roles: ['owner', 'admin', 'billing'],
    summary: "Set and remove the tenant's own model prices",
  },
  'provider_keys.read': {
    roles: ['owner', 'admin', 'developer'],
    summary: "List the tenant's provider keys (fingerprints only, never the key)",
  },
  'provider_keys.write': { roles: ['owner', 'admin'], summary: 'Set and delete provider keys (BYOK)' },
  'budgets.read': { roles: ALL, summary: 'List and read budgets with what their current period spent' },
  'budgets.write': {
    roles: ['owner', 'admin', 'billing'],
    summary: 'Create, change and delete budgets',
  },
  'alerts.read': { roles: ALL, summary: "List the tenant's budget alerts" },
  'alerts.write': { roles: ['owner', 'admin', 'billing'], summary: 'Acknowledge budget alerts' },
  'alert_webhooks.read': {
    roles: ['owner', 'admin', 'billing'],
    summary: "List and read the tenant's alert webhooks (fingerprints only, never the secret)",
  },
  'alert_webhooks.write': {
    roles: ['owner', 'admin', 'billing'],
    summary: 'Add and delete alert webhooks',
  },
  'statements.read': {
    roles: ['owner', 'admin', 'billing'],
    summary: "List and read the tenant's monthly statements (JSON and CSV)",
  },
} as const satisfies Record<string, { roles: readonly Role[]; summary: string }>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function isAllowed(role: Role, action: Action): boolean {
  return (PERMISSIONS[action].roles as readonly Role[]).includes(role);
}

/** The permission table as Markdown, for docs/permissions.md. */
export function permissionsMarkdown(): string {
  const header = `| action | what | ${ROLES.join(' | ')} |`;
  const rule = `| --- | --- | ${ROLES.map(() => ':-:').join(' | ')} |`;
  const rows = ACTIONS.map((action) => {
    const marks = ROLES.map((role) => (isAllowed(role, action) ? 'yes' : '—'));
    return `| \`${action}\` | ${PERMISSIONS[action].summary} | ${marks.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
