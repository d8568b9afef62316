/**
 * Generated from the server's route table by `npm run sdk:generate`; do not edit.
 * Source: docs/openapi.json (packages/sdk/scripts/generate.ts).
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is up */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a tenant and its first owner */
        post: operations["signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in to the dashboard (sets an HttpOnly session cookie) */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is calling: tenant, role and credential
         * @description Requires action `session.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Log out (revokes the session of the cookie)
         * @description Requires action `session.delete`: roles owner, admin, developer, operator, viewer, billing.
         */
        delete: operations["logout"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's tenant
         * @description Requires action `tenant.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getTenant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename the tenant or change its time zone
         * @description The time zone cuts the days and months of budgets, the usage report and statements; it cannot change while the tenant has daily or monthly budgets (409 TIME_ZONE_LOCKED). Requires action `tenant.update`: roles owner, admin.
         */
        patch: operations["updateTenant"];
        trace?: never;
    };
    "/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the members of the tenant
         * @description Requires action `members.list`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member (their sessions end)
         * @description Requires action `members.remove`: roles owner, admin.
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        /**
         * Change a member's role (not your own)
         * @description Requires action `members.update`: roles owner, admin.
         */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/v1/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List invites
         * @description Requires action `invites.list`: roles owner, admin.
         */
        get: operations["listInvites"];
        put?: never;
        /**
         * Invite someone by email (the email goes to the outbox)
         * @description Requires action `invites.create`: roles owner, admin.
         */
        post: operations["createInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invites/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invite
         * @description Requires action `invites.revoke`: roles owner, admin.
         */
        delete: operations["revokeInvite"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/invites/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invite: join the tenant (creating the user if new) */
        post: operations["acceptInvite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys (never their secrets)
         * @description Requires action `api_keys.list`: roles owner, admin, developer.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key; the secret is in this response only
         * @description Requires action `api_keys.create`: roles owner, admin, developer.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one API key
         * @description Requires action `api_keys.read`: roles owner, admin, developer.
         */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Requires action `api_keys.revoke`: roles owner, admin, developer.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit events, newest first
         * @description Requires action `audit.read`: roles owner, admin, operator.
         */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify the tenant's hash chain; reports the first broken link
         * @description Requires action `audit.verify`: roles owner, admin, operator.
         */
        post: operations["verifyAuditChain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Workflows by name, with their latest version
         * @description Requires action `workflows.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listWorkflows"];
        put?: never;
        /**
         * Publish a workflow: a new version if the definition changed, else the latest one
         * @description Validates the definition and reports every problem at once (422 WORKFLOW_INVALID, with `details.problems`). Publishing an archived workflow unarchives it. Requires action `workflows.write`: roles owner, admin, developer.
         */
        post: operations["publishWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A workflow and its latest version
         * @description Requires action `workflows.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getWorkflow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A workflow's versions, newest first
         * @description Requires action `workflows.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listWorkflowVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One version of a workflow, with its definition and source
         * @description Requires action `workflows.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getWorkflowVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What changed between two versions: steps added, removed and changed, field by field
         * @description Requires action `workflows.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["diffWorkflowVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a workflow: no new runs, hidden from lists; publishing it again unarchives it
         * @description Requires action `workflows.archive`: roles owner, admin, developer.
         */
        post: operations["archiveWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a run of the workflow's latest version
         * @description Send an `Idempotency-Key` header to make retries safe: the same key returns the same run (200) for as long as the run is kept; a key reused for another workflow or input is refused. `priority` (0 to 9, default 0) orders the run among your own queued work: each level goes ahead of work queued up to 10 s before it, so a low priority is delayed, never starved. Requires action `runs.start`: roles owner, admin, developer, operator.
         */
        post: operations["startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Runs, newest first, filtered by workflow, state, trigger, parent run and time
         * @description Requires action `runs.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A run with its step timeline, inputs, outputs and every attempt
         * @description Requires action `runs.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a run; running steps see their abort signal
         * @description Requires action `runs.cancel`: roles owner, admin, developer, operator.
         */
        post: operations["cancelRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/steps/{stepKey}/decision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject a waiting approval step (the first decision counts)
         * @description Requires action `runs.decide`: roles owner, admin, operator.
         */
        post: operations["decideApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a failed or cancelled run again from the steps that did not succeed
         * @description Steps that succeeded keep their outputs and do not run again. Requires action `runs.retry`: roles owner, admin, developer, operator.
         */
        post: operations["retryRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workflow's webhook (never its secret)
         * @description Requires action `webhooks.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getWebhook"];
        put?: never;
        /**
         * Enable the workflow's webhook: its URL and signing secret (shown once)
         * @description Deliveries are `POST` to the URL with a JSON body (the run input) and a `Shoal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` header (docs/triggers.md). Requires action `webhooks.write`: roles owner, admin, developer.
         */
        post: operations["enableWebhook"];
        /**
         * Disable the workflow's webhook: its URL answers 404 from now on
         * @description Requires action `webhooks.write`: roles owner, admin, developer.
         */
        delete: operations["disableWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{name}/webhook/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a new signing secret; the old one keeps verifying for a while (default 24 h)
         * @description Requires action `webhooks.write`: roles owner, admin, developer.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/hooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deliver a signed webhook: starts a run with the JSON body as input
         * @description Authenticated only by the `Shoal-Signature` header (HMAC-SHA256 of `<t>.<raw body>` with the webhook's secret; `t` within 5 minutes of the server's clock). The same delivery again (same `Shoal-Delivery` header, or the same signature) returns the run it started (200).
         */
        post: operations["deliverWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Schedules, oldest first, optionally of one workflow
         * @description Requires action `schedules.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listSchedules"];
        put?: never;
        /**
         * Run a workflow on a cron schedule in a time zone
         * @description Requires action `schedules.write`: roles owner, admin, developer.
         */
        post: operations["createSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A schedule with its next fire times and last outcome
         * @description Requires action `schedules.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        /**
         * Delete a schedule (runs it started are kept)
         * @description Requires action `schedules.write`: roles owner, admin, developer.
         */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        /**
         * Change, pause or resume a schedule
         * @description A new cron or time zone, or resuming, computes the next fire from now: time spent paused is not caught up. Requires action `schedules.write`: roles owner, admin, developer.
         */
        patch: operations["updateSchedule"];
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events received, newest first, with the runs each started
         * @description Requires action `events.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listEvents"];
        put?: never;
        /**
         * Send a tenant event: starts a run of every workflow subscribed to its name
         * @description Workflows subscribe with `on.events` in their latest version (docs/triggers.md); each matching workflow gets one run with the payload as input. `id` deduplicates: the same id again returns the first event (200) and starts nothing. Requires action `events.send`: roles owner, admin, developer, operator.
         */
        post: operations["sendEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An event with the runs it started and the workflows it skipped
         * @description Requires action `events.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/task-queues/{queue}/poll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Long-poll a task queue: the next task, or 204 when none came within waitMs
         * @description Answers as soon as a task is put on the queue. The task is leased to this call: heartbeat within heartbeatTimeoutMs or it is delivered to another worker with a new token. Requires action `tasks.work`: roles owner, admin, developer, operator.
         */
        post: operations["pollTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extend a delivery's heartbeat deadline; says when the task was cancelled
         * @description Requires action `tasks.work`: roles owner, admin, developer, operator.
         */
        post: operations["heartbeatTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete a task: its step succeeds with the output and the run goes on
         * @description Requires action `tasks.work`: roles owner, admin, developer, operator.
         */
        post: operations["completeTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/fail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fail a task: the step's retry policy decides between a new attempt and failing the run
         * @description Requires action `tasks.work`: roles owner, admin, developer, operator.
         */
        post: operations["failTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenant/usage/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's live usage: queue depth, running steps, wait times, quotas used
         * @description Requires action `usage.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getLiveUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Chat completion through the gateway (OpenAI-compatible; `stream: true` for server-sent events)
         * @description Routes to the cheapest model of an alias that meets the requested tier, falls back on 429, 5xx, timeouts and streams that fail before their first token, enforces the tenant and key limits, and records the call. `Idempotency-Key` makes a retry return the first answer without a second send or charge. Response headers `x-shoal-*` say which model answered, what it cost and whether the cache served it. Requires action `llm.invoke`: roles owner, admin, developer, operator.
         */
        post: operations["createChatCompletion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embeddings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Embeddings through the gateway (OpenAI-compatible)
         * @description Requires action `llm.invoke`: roles owner, admin, developer, operator.
         */
        post: operations["createEmbeddings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's aliases and the models it can call (priced, with a key)
         * @description Requires action `llm.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/llm-calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's gateway calls, newest first: tokens, cost, latency, fallbacks, outcome
         * @description Requires action `llm.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listLlmCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The plan catalogue, with the number of tenants on each plan
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["listPlans"];
        put?: never;
        /**
         * Add a custom plan
         * @description Every limit is required. No tenant is on a new plan, so no audit chain records it. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        post: operations["createPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/plans/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["getPlan"];
        put?: never;
        post?: never;
        /**
         * Delete a custom plan nobody is on
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        delete: operations["deletePlan"];
        options?: never;
        head?: never;
        /**
         * Change some of a plan's limits (built-in plans too)
         * @description Applies at once to every tenant on the plan, and is recorded as `plan.update` in each one’s audit log. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        patch: operations["updatePlan"];
        trace?: never;
    };
    "/v1/operator/tenants/{tenantId}/limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A tenant's plan, overrides, pool and effective limits
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["getTenantLimits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set or clear (null) single-limit overrides and the tenant's worker pool
         * @description A number overrides the plan's limit, null goes back to it; `pool` null goes back to `shared`. Recorded in the tenant's audit log as tenant.limits.update. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        patch: operations["updateTenantLimits"];
        trace?: never;
    };
    "/v1/operator/tenants/{tenantId}/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Move a tenant to another plan (audited in the tenant's log as tenant.plan.change)
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        put: operations["changeTenantPlan"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/usage/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live usage of every tenant: queue depth, running steps, wait times, quotas used
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["listLiveUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Worker pools in use with their live workers; an unserved pool is reported, not failed
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["listPools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/provider-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's own LLM provider keys (BYOK): provider and fingerprint, never the key
         * @description Requires action `provider_keys.read`: roles owner, admin, developer.
         */
        get: operations["listProviderKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/provider-keys/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the tenant's key of a provider; the gateway uses it instead of any platform key
         * @description Stored sealed by the tenant’s data key (docs/security.md); the answer and the audit log show only its fingerprint. 201 when the tenant had no key of this provider, 200 when it replaced one. Requires action `provider_keys.write`: roles owner, admin.
         */
        put: operations["putProviderKey"];
        post?: never;
        /**
         * Delete the tenant's key of a provider; calls fall back to the platform key, if any
         * @description Requires action `provider_keys.write`: roles owner, admin.
         */
        delete: operations["deleteProviderKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The LLM providers, whether each has a platform key (its fingerprint, never the key)
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["listPlatformProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/providers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create or change an LLM provider and its platform-wide API key
         * @description `kind` and `baseUrl` are always sent; `apiKey`, `options` and `enabled` keep their values when absent. Applies to every tenant at once; logged, not written into tenants’ audit logs. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        put: operations["putPlatformProvider"];
        post?: never;
        /**
         * Delete an LLM provider with its models, prices and every tenant’s key of it
         * @description Irreversible: tenants’ keys of the provider are deleted with it. `"enabled": false` stops its use and can be undone. The built-in simulated provider cannot be deleted. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        delete: operations["deletePlatformProvider"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/model-aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's model aliases, by name
         * @description Requires action `model_aliases.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listModelAliases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/model-aliases/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A model alias
         * @description Requires action `model_aliases.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getModelAlias"];
        /**
         * Create a model alias or replace its spec
         * @description Answers 201 when the alias is new, 200 when it existed: `changed` false (and the version kept) when the spec equals the stored one. Every candidate must be a model of the catalog; one without a price in effect is accepted (the gateway skips it until it is priced) and listed in `warnings`. Requires action `model_aliases.write`: roles owner, admin, developer.
         */
        put: operations["putModelAlias"];
        post?: never;
        /**
         * Delete a model alias
         * @description Calls naming the alias fail with MODEL_NOT_FOUND from then on. Requires action `model_aliases.write`: roles owner, admin, developer.
         */
        delete: operations["deleteModelAlias"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/model-prices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every model with the price in effect for the tenant
         * @description The tenant's own price of a model wins over the catalog's; of each, the latest that started at or before `at` applies. A model with neither is listed with `priced: false`: the gateway refuses it. Requires action `model_prices.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listModelPrices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/model-prices/{provider}/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the tenant's own price of a model from a moment on
         * @description The price applies from `effectiveFrom` (default now) until a later one of the tenant starts, and wins over the catalog. A price starting at the same moment is replaced. Model names holding "/" cannot be addressed. Requires action `model_prices.write`: roles owner, admin, billing.
         */
        put: operations["putModelPrice"];
        post?: never;
        /**
         * Remove the tenant's own prices of a model (the catalog's apply again)
         * @description Requires action `model_prices.write`: roles owner, admin, billing.
         */
        delete: operations["deleteModelPrices"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The model catalog with every catalog price of each model
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["listCatalogModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/models/{provider}/{model}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Add a model to the catalog or change its kind and context window
         * @description Answers 201 for a new model, 200 for a changed one. A new model has no price until one is added. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        put: operations["putCatalogModel"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/models/{provider}/{model}/prices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a catalog price of a model from a moment on
         * @description The price applies from `effectiveFrom` (default now) until a later catalog price starts, to every tenant without a price of its own for the model. Earlier rows are kept, so recorded calls keep their price. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        post: operations["addCatalogPrice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's budgets, by name, each with its current period
         * @description Requires action `budgets.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listBudgets"];
        put?: never;
        /**
         * Create a budget of the tenant, a workflow or an API key
         * @description A hard budget refuses a gateway call whose worst-case cost it cannot cover (402 BUDGET_EXCEEDED); a soft one only counts. A budget counts spend recorded after it was created. Requires action `budgets.write`: roles owner, admin, billing.
         */
        post: operations["createBudget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A budget with its current period
         * @description Requires action `budgets.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getBudget"];
        put?: never;
        post?: never;
        /**
         * Delete a budget with its periods and leases
         * @description Calls it covered are no longer checked against it. Requires action `budgets.write`: roles owner, admin, billing.
         */
        delete: operations["deleteBudget"];
        options?: never;
        head?: never;
        /**
         * Change a budget's name, limit, kind or alert thresholds
         * @description Scope and period stay what they are. A lower limit applies to new grants at once; slices processes already hold are returned when idle or expired (docs/adr/0007-metering.md). Requires action `budgets.write`: roles owner, admin, billing.
         */
        patch: operations["updateBudget"];
        trace?: never;
    };
    "/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's budget alerts, newest first
         * @description Each threshold of a budget fires once per period, and a forecast alert once per period when the projected spend exceeds the limit (docs/alerts.md). Requires action `alerts.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/{id}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark an alert seen; the first acknowledgement is the one kept
         * @description Requires action `alerts.write`: roles owner, admin, billing.
         */
        post: operations["acknowledgeAlert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's alert webhooks (never their secrets)
         * @description Requires action `alert_webhooks.read`: roles owner, admin, billing.
         */
        get: operations["listAlertWebhooks"];
        put?: never;
        /**
         * Add a webhook every budget alert is POSTed to, signed; its secret is shown once
         * @description Each alert is POSTed as JSON with `Shoal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` and `Shoal-Delivery`, retried with exponential backoff until a 2xx (docs/alerts.md). Requires action `alert_webhooks.write`: roles owner, admin, billing.
         */
        post: operations["createAlertWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alert-webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An alert webhook and how its deliveries stand (never its secret)
         * @description Requires action `alert_webhooks.read`: roles owner, admin, billing.
         */
        get: operations["getAlertWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete an alert webhook; its deliveries not made yet are dropped
         * @description Requires action `alert_webhooks.write`: roles owner, admin, billing.
         */
        delete: operations["deleteAlertWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/forecast": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where each budget's spend is heading this period
         * @description Per budget with a period open now (or the one of `budgetId`): spent so far, the daily rate weighted to recent days, the projected end-of-period spend and when the limit would be reached (docs/alerts.md). A projection over the limit with enough history fires the budget’s forecast alert, once per period. Requires action `budgets.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getForecast"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's monthly statements, newest first, with status and totals
         * @description Every month from the tenant’s first to the current one (at most 120). Months that ended since the last look are closed and stored as they are listed. Requires action `statements.read`: roles owner, admin, billing.
         */
        get: operations["listStatements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/statements/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's statement of a month (YYYY-MM, its time zone), as JSON or CSV
         * @description A closed month answers the bytes stored at its first generation, whatever arrived or changed since; the current month is a live draft (status open). `?format=csv` answers text/csv with the same line items. Requires action `statements.read`: roles owner, admin, billing.
         */
        get: operations["getStatement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operator/plans/{name}/pricing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan's pricing versions, newest first
         * @description Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        get: operations["listPlanPricing"];
        /**
         * Set a plan's pricing from a month on (replacing a version of the same month)
         * @description Applies to statements of that month and later, until the next version; only a month that has not ended in any time zone. Recorded as `plan.pricing.set` in the audit log of every tenant on the plan. Requires the operator token (SHOAL_OPERATOR_TOKEN).
         */
        put: operations["setPlanPricing"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's metered usage and spend from the ledger, by day, model, workflow, API key or pool
         * @description Totals of LLM calls, cache hits, tokens, cost (priced when recorded), runs started, step attempts and their worker time over [from, to), read from the usage ledger (docs/adr/0007-metering.md). Days are the tenant's. Requires action `usage.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tenant/observability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's runs by state over time, failure rate, step latency, spend and failing workflows
         * @description Everything is read under the tenant's row-level security in one transaction. Runs and failing workflows count runs created in [from, to); step latency the attempts started in it; spend the ledger's LLM events that occurred in it (docs/observability.md). Requires action `observability.read`: roles owner, admin, developer, operator, viewer, billing.
         */
        get: operations["getTenantObservability"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AlertWebhook: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string | null;
            /** @description Tells secrets apart (sha256:…); the secret itself is shown once, at creation */
            secretFingerprint: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** @description How this webhook's deliveries stand */
            deliveries: {
                pending: number;
                delivered: number;
                dead: number;
            };
        };
        AlertWebhookWithSecret: {
            webhook: components["schemas"]["AlertWebhook"];
            /** @description The signing secret (whsec_…): shown this once, store it now. At most 10 webhooks per tenant */
            secret: string;
        };
        AliasWarning: {
            /** @enum {string} */
            code: "CANDIDATE_UNPRICED";
            candidate: string;
            message: string;
        };
        ApiKey: {
            /** Format: uuid */
            id: string;
            name: string;
            role: components["schemas"]["Role"];
            /** @description First characters of the key, to tell keys apart */
            prefix: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            expiresAt: string | null;
            lastUsedAt: string | null;
            revokedAt: string | null;
        };
        AuditEvent: {
            /** Format: uuid */
            tenantId: string;
            seq: number;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            occurredAt: string;
            /** @enum {string} */
            actorType: "user" | "api_key" | "system" | "anonymous";
            actorId: string | null;
            action: string;
            targetType: string | null;
            targetId: string | null;
            requestId: string | null;
            ip: string | null;
            /** @enum {string} */
            result: "success" | "failure";
            details: {
                [key: string]: unknown;
            };
            prevHash: string;
            hash: string;
        };
        AuditVerifyResult: {
            ok: boolean;
            checked: number;
            headSeq: number;
            headHash: string;
            firstBroken: {
                seq: number;
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                reason: "sequence_gap" | "prev_hash_mismatch" | "hash_mismatch";
            } | null;
        };
        Budget: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @enum {string} */
            scope: "tenant" | "workflow" | "api_key";
            scopeId: string | null;
            /** @enum {string} */
            period: "daily" | "monthly" | "fixed";
            startsAt: string | null;
            endsAt: string | null;
            /**
             * @description USD, 6 decimals
             * @example 25.000000
             */
            limitUsd: string;
            limitMicroUsd: number;
            /** @enum {string} */
            kind: "hard" | "soft";
            alertThresholds: number[];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description The period containing now; null for a fixed window not open now */
            current: {
                /** Format: date-time */
                periodStart: string;
                /** Format: date-time */
                periodEnd: string;
                /** @description The tenant's time zone the bounds are computed in */
                timeZone: string;
                /** @description Recorded in the ledger this period */
                spentMicroUsd: number;
                /** @description Held by processes' escrow leases (hard budgets) */
                leasedMicroUsd: number;
                /** @description limit − spent − leased, at least 0 */
                remainingMicroUsd: number;
            } | null;
        };
        BudgetAlert: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            budgetId: string;
            /** @description The budget's name when the alert fired */
            budgetName: string;
            /**
             * @description threshold: spend reached a percentage of the limit; forecast: projected over it
             * @enum {string}
             */
            kind: "threshold" | "forecast";
            /** @description The percentage crossed; null for forecasts */
            threshold: number | null;
            /** Format: date-time */
            periodStart: string;
            /** Format: date-time */
            periodEnd: string;
            limitMicroUsd: number;
            /** @description What the period had spent when the alert fired */
            spentMicroUsd: number;
            /** @description Forecasts: the projected end-of-period spend */
            projectedMicroUsd: number | null;
            /** Format: date-time */
            createdAt: string;
            acknowledgedAt: string | null;
            acknowledgedBy: string | null;
        };
        BudgetForecast: {
            /** Format: uuid */
            budgetId: string;
            budgetName: string;
            /** @enum {string} */
            kind: "hard" | "soft";
            limitMicroUsd: number;
            /** Format: date-time */
            periodStart: string;
            /** Format: date-time */
            periodEnd: string;
            timeZone: string;
            /** @description Recorded this period so far */
            spentMicroUsd: number;
            /** @description Daily spend weighted to recent days (0.5 per day back) */
            dailyRateMicroUsd: number;
            /** @description spent + rate × days left in the period */
            projectedMicroUsd: number;
            exceedsLimit: boolean;
            /** @description When spend reaches the limit at that rate; now if it has; null if not this period */
            projectedExhaustionAt: string | null;
            /** @description A day (or a quarter of a shorter period) has elapsed: the projection may alert */
            enoughHistory: boolean;
            /** @description Spend of each 24-hour slice of the period so far */
            daily: {
                /** Format: date-time */
                start: string;
                spentMicroUsd: number;
            }[];
        };
        CatalogModel: {
            provider: string;
            model: string;
            kind: components["schemas"]["ModelKind"];
            contextTokens: number;
            providerEnabled: boolean;
            /** Format: date-time */
            createdAt: string;
            /** @description Every catalog price row, newest first */
            prices: components["schemas"]["CatalogPrice"][];
        };
        CatalogPrice: {
            priceId: number;
            provider: string;
            model: string;
            /** Format: date-time */
            effectiveFrom: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            inputUsdPerMtok: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            outputUsdPerMtok: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            cachedInputUsdPerMtok: string;
            /** Format: date-time */
            createdAt: string;
        };
        /**
         * @description Missed fires (more than 60 s late, e.g. while the platform was down): latest = one run for the most recent, skip = none, all = one run each (at most 100)
         * @enum {string}
         */
        CatchUpPolicy: "skip" | "latest" | "all";
        /** @description With `stream: true` the answer is `text/event-stream` instead: `data: <chat.completion.chunk>` lines, then `data: [DONE]`. */
        ChatCompletion: {
            id: string;
            /** @constant */
            object: "chat.completion";
            created: number;
            model: string;
            choices: {
                index: number;
                message: {
                    /** @constant */
                    role: "assistant";
                    content: string | null;
                    tool_calls?: {
                        id: string;
                        /** @constant */
                        type: "function";
                        function: {
                            name: string;
                            arguments: string;
                        };
                    }[];
                };
                finish_reason: string;
            }[];
            usage: {
                prompt_tokens: number;
                completion_tokens: number;
                total_tokens: number;
                prompt_tokens_details?: {
                    cached_tokens: number;
                };
            };
            system_fingerprint?: string;
        };
        ChatCompletionRequest: {
            /** @description An alias of the tenant, provider/model, or a model name */
            model: string;
            messages: {
                /** @enum {string} */
                role: "system" | "developer" | "user" | "assistant" | "tool";
                /** @default null */
                content: (string | ({
                    /** @constant */
                    type: "text";
                    text: string;
                } | {
                    /** @constant */
                    type: "image_url";
                    image_url: {
                        url: string;
                        /** @enum {string} */
                        detail?: "auto" | "low" | "high";
                    };
                })[]) | null;
                name?: string;
                tool_calls?: {
                    id: string;
                    /** @constant */
                    type: "function";
                    function: {
                        name: string;
                        arguments: string;
                    };
                }[];
                tool_call_id?: string;
            }[];
            max_tokens?: number | null;
            max_completion_tokens?: number | null;
            temperature?: number | null;
            top_p?: number | null;
            stop?: (string | string[]) | null;
            seed?: number | null;
            tools?: {
                /** @constant */
                type: "function";
                function: {
                    name: string;
                    description?: string;
                    parameters?: {
                        [key: string]: unknown;
                    };
                    strict?: boolean | null;
                };
            }[];
            tool_choice?: ("none" | "auto" | "required") | {
                /** @constant */
                type: "function";
                function: {
                    name: string;
                };
            };
            response_format?: {
                /** @constant */
                type: "text";
            } | {
                /** @constant */
                type: "json_object";
            } | {
                /** @constant */
                type: "json_schema";
                json_schema: {
                    name: string;
                    description?: string;
                    schema?: {
                        [key: string]: unknown;
                    };
                    strict?: boolean | null;
                };
            };
            stream?: boolean | null;
            stream_options?: {
                include_usage?: boolean;
            } | null;
            user?: string;
            /** @description Only 1 is supported */
            n?: 1 | null;
            /** @description Shoal's options: the lowest quality tier acceptable, and the response cache */
            shoal?: {
                tier?: number;
                cache?: boolean;
                cacheTtlSeconds?: number;
            };
        };
        EffectivePrice: {
            /**
             * @description catalog, or tenant: the tenant's own price
             * @enum {string}
             */
            source: "catalog" | "tenant";
            /** @description The catalog price row; null for a tenant price */
            priceId: number | null;
            /** Format: date-time */
            effectiveFrom: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            inputUsdPerMtok: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            outputUsdPerMtok: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            cachedInputUsdPerMtok: string;
            /** @description The same in micro-USD per million tokens */
            inputMicroUsdPerMtok: number;
            /** @description The same in micro-USD per million tokens */
            outputMicroUsdPerMtok: number;
            /** @description The same in micro-USD per million tokens */
            cachedInputMicroUsdPerMtok: number;
        };
        Embeddings: {
            /** @constant */
            object: "list";
            data: {
                /** @constant */
                object: "embedding";
                index: number;
                embedding: number[];
            }[];
            model: string;
            usage: {
                prompt_tokens: number;
                total_tokens: number;
            };
        };
        EmbeddingsRequest: {
            model: string;
            input: string | string[];
            dimensions?: number;
            /**
             * @description base64: each embedding as little-endian float32 bytes (what the openai client asks for)
             * @enum {string}
             */
            encoding_format?: "float" | "base64";
            user?: string;
        };
        Error: {
            error: {
                /** @description Stable error code; see docs/errors.md */
                code: string;
                message: string;
                details?: {
                    [key: string]: unknown;
                };
                requestId: string;
            };
        };
        Event: {
            /** Format: uuid */
            id: string;
            name: string;
            payload: unknown;
            /** Format: date-time */
            receivedAt: string;
            /** @description The id the sender gave, if any */
            dedupeKey: string | null;
            sentBy: string;
            /** @description One run per subscribed workflow whose filter matched */
            runs: {
                workflow: string;
                /** Format: uuid */
                runId: string;
            }[];
            /** @description Subscribed workflows that started no run, and why */
            skipped: {
                workflow: string;
                code: string;
                message: string;
            }[];
        };
        Invite: {
            /** Format: uuid */
            id: string;
            email: string;
            role: components["schemas"]["Role"];
            invitedBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            acceptedAt: string | null;
            revokedAt: string | null;
        };
        Limits: {
            /** @description Share of the pool under contention, relative to other tenants (1–10000) */
            weight: number;
            /** @description Steps running at once that the tenant always gets */
            guaranteedConcurrency: number;
            /** @description Most steps running at once, above the guarantee only from idle capacity */
            burstCeiling: number;
            /** @description Run starts admitted per sliding minute (RUN_RATE_LIMITED) */
            runStartsPerMinute: number;
            /** @description Unfinished runs (queued, running, waiting) at most (QUEUE_FULL) */
            queuedRunsMax: number;
            /** @description Largest run input in bytes of JSON (PAYLOAD_TOO_LARGE) */
            maxPayloadBytes: number;
            /** @description Most steps in one run (RUN_TOO_LARGE) */
            maxStepsPerRun: number;
            /** @description Days step logs are kept */
            logRetentionDays: number;
            /** @description Days finished runs are kept */
            historyRetentionDays: number;
            /** @description LLM tokens per minute through the gateway (GATEWAY_TOKENS_RATE_LIMITED) */
            llmTokensPerMinute: number;
            /** @description LLM requests per minute through the gateway (GATEWAY_REQUESTS_RATE_LIMITED) */
            llmRequestsPerMinute: number;
        };
        LiveUsage: {
            /** Format: uuid */
            tenantId: string;
            plan: string;
            pool: string;
            /** @description A worker of the tenant's pool was seen recently */
            poolLive: boolean;
            liveWorkers: number;
            /** @description Queued steps: claimable now, and waiting for their time (backoff) */
            queue: {
                available: number;
                delayed: number;
            };
            /** @description Steps running now (leased) */
            running: number;
            /** @description Queue wait of the attempts started in the last 5 minutes */
            waitMs: {
                p50: number | null;
                p95: number | null;
                p99: number | null;
                samples: number;
            };
            openRuns: {
                used: number;
                limit: number;
            };
            /** @description Run starts in the sliding minute (what admission compares) and this minute */
            runStarts: {
                sliding: number;
                currentWindow: number;
                limit: number;
            };
            limits: components["schemas"]["Limits"];
        };
        LlmCall: {
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** @enum {string} */
            operation: "chat" | "embedding";
            alias: string | null;
            provider: string | null;
            model: string | null;
            apiKeyId: string | null;
            runId: string | null;
            stepId: string | null;
            tokensIn: number;
            tokensOut: number;
            tokensCached: number;
            costMicroUsd: number;
            latencyMs: number;
            ttftMs: number | null;
            cacheHit: boolean;
            simulated: boolean;
            streamed: boolean;
            /** @enum {string} */
            outcome: "succeeded" | "failed" | "refused";
            errorCode: string | null;
            attempts: {
                provider: string;
                model: string;
                /** @enum {string} */
                outcome: "succeeded" | "failed" | "skipped";
                failure?: string;
                status?: number;
                message?: string;
                latencyMs?: number;
            }[];
        };
        LlmCallList: components["schemas"]["LlmCall"][];
        Member: {
            /** Format: uuid */
            userId: string;
            email: string;
            name: string;
            role: components["schemas"]["Role"];
            /** Format: date-time */
            joinedAt: string;
        };
        ModelAlias: {
            name: string;
            spec: {
                description?: string;
                /**
                 * @default cheapest
                 * @enum {string}
                 */
                strategy: "cheapest" | "latency" | "weighted";
                candidates: {
                    model: string;
                    /**
                     * @description Quality tier of this candidate, 1 (basic) to 5 (best)
                     * @default 1
                     */
                    tier: number;
                    /** @description Skip this candidate while its observed p50 latency is above this */
                    latencyTargetMs?: number;
                    /**
                     * @description Share of requests under the weighted strategy
                     * @default 1
                     */
                    weight: number;
                }[];
                /**
                 * @description Tier a request gets when it asks for none
                 * @default 1
                 */
                minTier: number;
                /** @default {} */
                defaults: {
                    system?: string;
                    temperature?: number;
                    maxTokens?: number;
                };
                /**
                 * @default {
                 *       "enabled": false,
                 *       "ttlSeconds": 3600
                 *     }
                 */
                cache: {
                    /** @default false */
                    enabled: boolean;
                    /** @default 3600 */
                    ttlSeconds: number;
                };
                /** @default [] */
                budgetRules: {
                    whenRemainingBelowUsd: number;
                    /** @description Use candidates of at most this tier */
                    maxTier: number;
                }[];
            };
            /** @description 1 when created, one more on every change of the spec */
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @enum {string} */
        ModelKind: "chat" | "embedding";
        ModelList: {
            /** @constant */
            object: "list";
            data: {
                id: string;
                /** @constant */
                object: "model";
                created: number;
                /** @description The provider, or `shoal-alias` for an alias of the tenant */
                owned_by: string;
                /** @enum {string} */
                kind: "alias" | "chat" | "embedding";
            }[];
        };
        ModelPrice: {
            provider: string;
            model: string;
            kind: components["schemas"]["ModelKind"];
            contextTokens: number;
            providerEnabled: boolean;
            /** @description False: no price in effect, so the gateway refuses the model */
            priced: boolean;
            price: components["schemas"]["EffectivePrice"] | null;
        };
        PassThroughMeterPricing: {
            /** @description Provider cost included in the base price */
            includedMicroUsd: number;
            /** @description Markup on cost, basis points */
            markupBps: number;
        };
        Plan: {
            /** @description Share of the pool under contention, relative to other tenants (1–10000) */
            weight: number;
            /** @description Steps running at once that the tenant always gets */
            guaranteedConcurrency: number;
            /** @description Most steps running at once, above the guarantee only from idle capacity */
            burstCeiling: number;
            /** @description Run starts admitted per sliding minute (RUN_RATE_LIMITED) */
            runStartsPerMinute: number;
            /** @description Unfinished runs (queued, running, waiting) at most (QUEUE_FULL) */
            queuedRunsMax: number;
            /** @description Largest run input in bytes of JSON (PAYLOAD_TOO_LARGE) */
            maxPayloadBytes: number;
            /** @description Most steps in one run (RUN_TOO_LARGE) */
            maxStepsPerRun: number;
            /** @description Days step logs are kept */
            logRetentionDays: number;
            /** @description Days finished runs are kept */
            historyRetentionDays: number;
            /** @description LLM tokens per minute through the gateway (GATEWAY_TOKENS_RATE_LIMITED) */
            llmTokensPerMinute: number;
            /** @description LLM requests per minute through the gateway (GATEWAY_REQUESTS_RATE_LIMITED) */
            llmRequestsPerMinute: number;
            name: string;
            /** @description free, team and enterprise: editable, never deleted */
            builtin: boolean;
            /** @description Tenants on this plan now */
            tenants: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        PlanPricing: {
            id: number;
            plan: string;
            /** @example 2026-03 */
            effectiveFrom: string;
            basePriceMicroUsd: number;
            meters: {
                llm_tokens: components["schemas"]["TieredMeterPricing"];
                llm_cost: components["schemas"]["PassThroughMeterPricing"];
                runs_started: components["schemas"]["TieredMeterPricing"];
                steps_executed: components["schemas"]["TieredMeterPricing"];
                worker_seconds: components["schemas"]["TieredMeterPricing"];
            };
            /** Format: date-time */
            createdAt: string;
        };
        PlatformProvider: {
            name: string;
            /** @enum {string} */
            kind: "openai" | "anthropic" | "simulated";
            baseUrl: string | null;
            /** @description Tenants without a key of their own call this provider with the platform key */
            hasPlatformKey: boolean;
            platformKeyFingerprint: string | null;
            options: {
                [key: string]: unknown;
            };
            enabled: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        PlatformProviderList: {
            providers: components["schemas"]["PlatformProvider"][];
        };
        PoolHealth: {
            pool: string;
            tenants: number;
            queued: number;
            liveWorkers: number;
            /** @description In use, with no live worker: its steps wait */
            unserved: boolean;
        };
        PriceTier: {
            /** @description Upper bound on the month’s total quantity; null: open-ended (the last tier) */
            upTo: number | null;
            /** @description Micro-USD per `per` units */
            unitPriceMicroUsd: number;
        };
        ProviderKey: {
            provider: string;
            /** @description `sha256:` and 12 hex digits of a hash of the key: tells keys apart, reveals nothing */
            fingerprint: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        ProviderKeyList: {
            providerKeys: components["schemas"]["ProviderKey"][];
        };
        /** @enum {string} */
        Role: "owner" | "admin" | "developer" | "operator" | "viewer" | "billing";
        RunDetail: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            workflowId: string;
            workflowName: string;
            workflowVersion: number;
            state: components["schemas"]["RunState"];
            trigger: string;
            errorCode: string | null;
            errorMessage: string | null;
            /** @description The run whose `workflow` step started this one */
            parentRunId: string | null;
            parentStepKey: string | null;
            /** @description When the workflow's timeout ends the run */
            deadlineAt: string | null;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
            input: unknown;
            inputTruncated: boolean;
            output: unknown;
            /** @description The output is larger than 64 KiB and was left out */
            outputTruncated: boolean;
            steps: {
                key: string;
                id: string;
                type: string;
                state: string;
                attempt: number;
                needs: string[];
                output: unknown;
                outputTruncated: boolean;
                errorCode: string | null;
                errorMessage: string | null;
                waitReason: string | null;
                wakeAt: string | null;
                startedAt: string | null;
                finishedAt: string | null;
                attempts: {
                    attempt: number;
                    workerId: string;
                    /** Format: date-time */
                    startedAt: string;
                    endedAt: string | null;
                    outcome: string;
                    errorCode: string | null;
                    errorMessage: string | null;
                }[];
            }[];
        };
        /** @enum {string} */
        RunState: "queued" | "running" | "waiting" | "succeeded" | "failed" | "cancelled" | "timed_out";
        RunStateCounts: {
            queued: number;
            running: number;
            waiting: number;
            succeeded: number;
            failed: number;
            cancelled: number;
            timed_out: number;
        };
        RunSummary: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            workflowId: string;
            workflowName: string;
            workflowVersion: number;
            state: components["schemas"]["RunState"];
            trigger: string;
            errorCode: string | null;
            errorMessage: string | null;
            /** @description The run whose `workflow` step started this one */
            parentRunId: string | null;
            parentStepKey: string | null;
            /** @description When the workflow's timeout ends the run */
            deadlineAt: string | null;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
        };
        Schedule: {
            /** Format: uuid */
            id: string;
            workflowName: string;
            description: string;
            cron: string;
            timezone: string;
            input: unknown;
            catchUp: components["schemas"]["CatchUpPolicy"];
            paused: boolean;
            /** Format: date-time */
            nextFireAt: string;
            /** @description The next few fire times (empty while paused) */
            upcoming: string[];
            lastFireAt: string | null;
            lastRunId: string | null;
            /** @description Why the last fire started no run (null when it did) */
            lastError: {
                code: string;
                message: string;
            } | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        Statement: {
            /** @constant */
            version: 1;
            tenant: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            /** @example 2026-03 */
            month: string;
            /** @enum {string} */
            status: "open" | "closed";
            timeZone: string;
            /** @description In the tenant’s zone, e.g. 2026-03-01T00:00:00-05:00 */
            periodStart: string;
            periodEnd: string;
            /** @description The ledger cut-off (recorded_at ≤ closedAt); null while the month is open */
            closedAt: string | null;
            /** @constant */
            currency: "USD";
            plan: string;
            /** @example 2026-03 */
            pricingEffectiveFrom: string;
            lines: ({
                /** @constant */
                type: "base";
                description: string;
                /**
                 * @description USD, six decimals
                 * @example 49.000000
                 */
                amountUsd: string;
            } | {
                /** @constant */
                type: "meter";
                /** @enum {string} */
                meter: "llm_tokens" | "llm_cost" | "runs_started" | "steps_executed" | "worker_seconds";
                description: string;
                unit: string;
                quantity: number;
                included: number;
                includedApplied: number;
                per: number;
                tiers: {
                    tier: number;
                    from: number;
                    upTo: number | null;
                    quantity: number;
                    /**
                     * @description USD, six decimals
                     * @example 49.000000
                     */
                    unitPriceUsd: string;
                    /**
                     * @description USD, six decimals
                     * @example 49.000000
                     */
                    amountUsd: string;
                }[];
                /**
                 * @description USD, six decimals
                 * @example 49.000000
                 */
                amountUsd: string;
            })[];
            totals: {
                /**
                 * @description USD, six decimals
                 * @example 49.000000
                 */
                baseUsd: string;
                /**
                 * @description USD, six decimals
                 * @example 49.000000
                 */
                usageUsd: string;
                /**
                 * @description USD, six decimals
                 * @example 49.000000
                 */
                totalUsd: string;
                totalMicroUsd: number;
            };
        };
        StatementSummary: {
            /** @example 2026-03 */
            month: string;
            /** @enum {string} */
            status: "open" | "closed" | "unpriced";
            closedAt: string | null;
            plan: string;
            totalUsd: string | null;
            totalMicroUsd: number | null;
            /** @description Ledger rows of the month recorded after it closed: in no statement */
            lateEvents: number;
        };
        Task: {
            /** Format: uuid */
            id: string;
            /** @description Send with every heartbeat, complete and fail of this delivery */
            token: string;
            queue: string;
            /** Format: uuid */
            runId: string;
            stepKey: string;
            /** @description The step's attempt this task belongs to */
            attempt: number;
            /** @description 1, or more when earlier workers went silent */
            delivery: number;
            input: unknown;
            heartbeatTimeoutMs: number;
            /**
             * Format: date-time
             * @description Heartbeat before this or the task goes to another worker
             */
            leaseExpiresAt: string;
            /** @description When the step times out, if it has a timeout */
            deadline: string | null;
        };
        Tenant: {
            /** Format: uuid */
            id: string;
            name: string;
            plan: string;
            timeZone: string;
            /** Format: date-time */
            createdAt: string;
        };
        TenantLimits: {
            /** Format: uuid */
            tenantId: string;
            plan: string;
            /** @description The worker pool the tenant's new runs go to */
            pool: string;
            /** @description Single-limit overrides; null: the plan's value */
            overrides: {
                weight: number | null;
                guaranteedConcurrency: number | null;
                burstCeiling: number | null;
                runStartsPerMinute: number | null;
                queuedRunsMax: number | null;
                maxPayloadBytes: number | null;
                maxStepsPerRun: number | null;
                logRetentionDays: number | null;
                historyRetentionDays: number | null;
                llmTokensPerMinute: number | null;
                llmRequestsPerMinute: number | null;
            };
            effective: components["schemas"]["Limits"];
        };
        TenantObservability: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @enum {string} */
            bucket: "hour" | "day";
            /** @description The tenant's time zone buckets and days are cut in */
            timeZone: string;
            runs: {
                /** @description Runs created in each bucket, by their current state; empty buckets included */
                buckets: {
                    /** Format: date-time */
                    start: string;
                    counts: components["schemas"]["RunStateCounts"];
                    total: number;
                }[];
                totals: components["schemas"]["RunStateCounts"];
                total: number;
                /** @description (failed + timed_out) / (succeeded + failed + timed_out); null when none finished so */
                failureRate: number | null;
            };
            /** @description Attempts started in the range that succeeded or failed, by step type: start to end */
            steps: {
                stepType: string;
                attempts: number;
                succeeded: number;
                failed: number;
                p50Ms: number;
                p95Ms: number;
            }[];
            spend: {
                /** @description LLM spend in the range by day and model (the usage ledger) */
                days: {
                    /**
                     * @description YYYY-MM-DD in the tenant's time zone
                     * @example 2026-12-03
                     */
                    day: string;
                    provider: string;
                    model: string;
                    calls: number;
                    cacheHits: number;
                    tokensIn: number;
                    tokensOut: number;
                    tokensCached: number;
                    costMicroUsd: number;
                }[];
                totalMicroUsd: number;
            };
            /** @description Workflows with failed runs created in the range, most failures first */
            failingWorkflows: {
                /** Format: uuid */
                workflowId: string;
                name: string;
                runs: number;
                failed: number;
                failureRate: number;
            }[];
        };
        TenantPrice: {
            provider: string;
            model: string;
            /** Format: date-time */
            effectiveFrom: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            inputUsdPerMtok: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            outputUsdPerMtok: string;
            /**
             * @description USD per million tokens, 6 decimals
             * @example 0.150000
             */
            cachedInputUsdPerMtok: string;
            /** Format: date-time */
            createdAt: string;
        };
        TieredMeterPricing: {
            /** @description Units included in the base price */
            included: number;
            /** @description Unit prices are per this many units */
            per: number;
            tiers: components["schemas"]["PriceTier"][];
        };
        UsageGroup: {
            /** @description LLM calls answered by a provider */
            calls: number;
            /** @description LLM calls answered from the gateway's cache */
            cacheHits: number;
            tokensIn: number;
            tokensOut: number;
            tokensCached: number;
            /** @description Priced when recorded, integer micro-USD */
            costMicroUsd: number;
            /**
             * @description The cost in USD, 6 decimals
             * @example 0.012500
             */
            costUsd: string;
            /** @description Runs started */
            runs: number;
            /** @description Step attempts executed (a retried step counts each attempt) */
            steps: number;
            /** @description Executor time of those attempts, whole milliseconds */
            workerMs: number;
            /**
             * @description The same in seconds, 3 decimals
             * @example 12.345
             */
            workerSeconds: string;
            /** @description The newest daily snapshot of stored run and step data in the range (day groups and the total) */
            storedBytes: number | null;
            /** @description The day, provider/model, workflow id, API key id or pool; null: events without one */
            group: string | null;
            /** @description The workflow's or API key's name */
            name: string | null;
        };
        /** @description Ranges cover at most 366 days */
        UsageReport: {
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            /** @description The tenant's time zone days are cut in */
            timeZone: string;
            /** @enum {string} */
            groupBy: "day" | "model" | "workflow" | "key" | "pool";
            data: components["schemas"]["UsageGroup"][];
            total: components["schemas"]["UsageTotals"];
        };
        UsageTotals: {
            /** @description LLM calls answered by a provider */
            calls: number;
            /** @description LLM calls answered from the gateway's cache */
            cacheHits: number;
            tokensIn: number;
            tokensOut: number;
            tokensCached: number;
            /** @description Priced when recorded, integer micro-USD */
            costMicroUsd: number;
            /**
             * @description The cost in USD, 6 decimals
             * @example 0.012500
             */
            costUsd: string;
            /** @description Runs started */
            runs: number;
            /** @description Step attempts executed (a retried step counts each attempt) */
            steps: number;
            /** @description Executor time of those attempts, whole milliseconds */
            workerMs: number;
            /**
             * @description The same in seconds, 3 decimals
             * @example 12.345
             */
            workerSeconds: string;
            /** @description The newest daily snapshot of stored run and step data in the range (day groups and the total) */
            storedBytes: number | null;
        };
        Webhook: {
            /** Format: uuid */
            id: string;
            workflowName: string;
            /** @description Where senders POST deliveries, signed with the secret */
            url: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            rotatedAt: string | null;
            /** @description Until then the secret before the last rotation also verifies */
            previousSecretExpiresAt: string | null;
            disabledAt: string | null;
        };
        WebhookDelivery: {
            /** Format: uuid */
            runId: string;
            created: boolean;
        };
        WebhookWithSecret: {
            webhook: components["schemas"]["Webhook"];
            /** @description The signing secret (whsec_…): shown this once, store it now */
            secret: string;
        };
        Workflow: {
            /** Format: uuid */
            id: string;
            name: string;
            description: string | null;
            latestVersion: number;
            /** @description SHA-256 of the canonical definition, hex */
            contentHash: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Set while archived: no new runs, hidden from lists */
            archivedAt: string | null;
        };
        WorkflowDiff: {
            name: string;
            from: number;
            to: number;
            /** @description SHA-256 of the canonical definition, hex */
            fromHash: string;
            /** @description SHA-256 of the canonical definition, hex */
            toHash: string;
            identical: boolean;
            steps: {
                added: string[];
                removed: string[];
                changed: string[];
                reordered: boolean;
            };
            changes: {
                /** @enum {string} */
                op: "add" | "remove" | "change" | "reorder";
                /** @description JSON Pointer; steps are addressed by id: /steps/fetch/with/url */
                path: string;
                from?: unknown;
                to?: unknown;
            }[];
        };
        WorkflowVersion: {
            /** Format: uuid */
            workflowId: string;
            name: string;
            version: number;
            /** @description SHA-256 of the canonical definition, hex */
            contentHash: string;
            /** @description The validated definition with defaults filled in (docs/workflow.schema.json) */
            definition: {
                [key: string]: unknown;
            };
            /** @description The text as published */
            source: string;
            /** @enum {string} */
            sourceFormat: "yaml" | "json";
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
        WorkflowVersionSummary: {
            version: number;
            /** @description SHA-256 of the canonical definition, hex */
            contentHash: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ready";
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenantName: string;
                    name: string;
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Tenant created; log in with POST /v1/sessions */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tenant: components["schemas"]["Tenant"];
                        user: {
                            /** Format: uuid */
                            id: string;
                            email: string;
                        };
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                    /** Format: uuid */
                    tenantId?: string;
                };
            };
        };
        responses: {
            /** @description Logged in */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: uuid */
                        userId: string;
                        role: components["schemas"]["Role"];
                        /** Format: date-time */
                        expiresAt: string;
                        /** @description Send as X-CSRF-Token on state-changing cookie requests */
                        csrfToken: string;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        tenantId: string;
                        role: components["schemas"]["Role"];
                        /** @enum {string} */
                        via: "api_key" | "session";
                        userId: string | null;
                        apiKeyId: string | null;
                        sessionId: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description IANA time zone name (e.g. Europe/Paris): where days and months of budgets, usage and statements begin */
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description The updated tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has daily or monthly budgets (TIME_ZONE_LOCKED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description timeZone is not an IANA time zone name (TIME_ZONE_INVALID) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Member"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    role: components["schemas"]["Role"];
                };
            };
        };
        responses: {
            /** @description The member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInvites: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Invites */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Invite"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createInvite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    role: components["schemas"]["Role"];
                    expiresInHours?: number;
                };
            };
        };
        responses: {
            /** @description The invite */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invite"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeInvite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked invite */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invite"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    acceptInvite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    password: string;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Joined; log in with POST /v1/sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        tenantId: string;
                        /** Format: uuid */
                        userId: string;
                        role: components["schemas"]["Role"];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description API keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    role: components["schemas"]["Role"];
                    /** Format: date-time */
                    expiresAt?: string;
                };
            };
        };
        responses: {
            /** @description The key and its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        apiKey: components["schemas"]["ApiKey"];
                        /** @description Shown once */
                        secret: string;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                action?: string;
                actorId?: string;
                targetType?: string;
                targetId?: string;
                result?: "success" | "failure";
                since?: string;
                until?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events; pass nextCursor as cursor for the next */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AuditEvent"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyAuditChain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Verification result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerifyResult"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWorkflows: {
        parameters: {
            query?: {
                archived?: "exclude" | "include" | "only";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of workflows; pass nextCursor as cursor for the next */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Workflow"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    publishWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The definition as YAML or JSON text; problems then carry line and column */
                    source?: string;
                    /**
                     * @description Of source; default yaml, which also reads JSON
                     * @enum {string}
                     */
                    format?: "yaml" | "json";
                    /** @description The definition as a JSON object */
                    definition?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description The workflow and the version it now has */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description false: unchanged, the latest version is returned */
                        created: boolean;
                        unarchived: boolean;
                        workflow: components["schemas"]["Workflow"];
                        version: components["schemas"]["WorkflowVersion"];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The definition is invalid (WORKFLOW_INVALID); details.problems lists every problem with code, message, path, stepId, line and column */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workflow and its latest version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        workflow: components["schemas"]["Workflow"];
                        version: components["schemas"]["WorkflowVersion"];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWorkflowVersions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of versions; pass nextCursor as cursor for the next */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WorkflowVersionSummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWorkflowVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowVersion"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    diffWorkflowVersions: {
        parameters: {
            query?: {
                from?: number;
                to?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The structural diff */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkflowDiff"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    archiveWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archived workflow */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    input?: unknown;
                    priority?: number;
                };
            };
        };
        responses: {
            /** @description The run (201 when started now, 200 when the Idempotency-Key named an earlier one) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: components["schemas"]["RunSummary"];
                        created: boolean;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRuns: {
        parameters: {
            query?: {
                workflow?: string;
                state?: components["schemas"]["RunState"];
                trigger?: "api" | "webhook" | "schedule" | "event" | "workflow";
                since?: string;
                until?: string;
                parent?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of runs; pass nextCursor as cursor for the next */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RunSummary"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetail"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The cancelled run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetail"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decideApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                stepKey: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description The run after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetail"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run, running again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDetail"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    enableWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook and its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description WEBHOOK_ALREADY_ENABLED: rotate the secret or disable it first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    disableWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The disabled webhook */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How long the old secret still verifies (0: stop at once); default 86400 */
                    previousSecretValidSeconds?: number;
                };
            };
        };
        responses: {
            /** @description The webhook and its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deliverWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description The run (201 when started now, 200 for a repeated delivery) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description WEBHOOK_SIGNATURE_INVALID or WEBHOOK_TIMESTAMP_OUT_OF_RANGE */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description WEBHOOK_NOT_FOUND: no enabled webhook has this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSchedules: {
        parameters: {
            query?: {
                workflow?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of schedules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Schedule"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    workflow: string;
                    /**
                     * @description 5 fields (minute hour day month weekday) or 6 (seconds first)
                     * @example 0 9 * * 1-5
                     */
                    cron: string;
                    /**
                     * @description IANA time zone
                     * @default UTC
                     * @example Europe/Berlin
                     */
                    timezone?: string;
                    /** @description The input of every run (default {}) */
                    input?: unknown;
                    /** @default latest */
                    catchUp?: components["schemas"]["CatchUpPolicy"];
                    /** @default  */
                    description?: string;
                    /** @default false */
                    paused?: boolean;
                };
            };
        };
        responses: {
            /** @description The schedule */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description SCHEDULE_INVALID (cron or time zone) or RUN_INPUT_INVALID */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description 5 fields (minute hour day month weekday) or 6 (seconds first)
                     * @example 0 9 * * 1-5
                     */
                    cron?: string;
                    /**
                     * @description IANA time zone
                     * @example Europe/Berlin
                     */
                    timezone?: string;
                    input?: unknown;
                    catchUp?: components["schemas"]["CatchUpPolicy"];
                    description?: string;
                    paused?: boolean;
                };
            };
        };
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                name?: string;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Event"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    sendEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @example order.created */
                    name: string;
                    /** @description Any JSON; the input of the runs (default {}) */
                    payload?: unknown;
                    /** @description The sender's id for this event: sending it again starts nothing new */
                    id?: string;
                };
            };
        };
        responses: {
            /** @description The event and the runs it started (200 when the id named an earlier event) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        event: components["schemas"]["Event"];
                        created: boolean;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pollTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                queue: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Names the worker on the task, for people */
                    workerId: string;
                    /** @default 20000 */
                    waitMs?: number;
                };
            };
        };
        responses: {
            /** @description A task, leased to this caller (204: none) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Nothing came before the wait ended: poll again */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    heartbeatTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description The delivery still holds the task (or it was cancelled: stop) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Stop working: the run ended or the step timed out */
                        cancelled: boolean;
                        reason?: string;
                        /** Format: date-time */
                        leaseExpiresAt?: string;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such task in this tenant (TASK_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TASK_LEASE_LOST: another delivery holds the task or it finished; TASK_CANCELLED: its run ended; TASK_TIMED_OUT: its step timed out */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    completeTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    output?: unknown;
                };
            };
        };
        responses: {
            /** @description Completed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        runId: string;
                        /** @constant */
                        state: "completed";
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such task in this tenant (TASK_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TASK_LEASE_LOST: another delivery holds the task or it finished; TASK_CANCELLED: its run ended; TASK_TIMED_OUT: its step timed out */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    failTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    error: {
                        /** @default TASK_FAILED */
                        code?: string;
                        message: string;
                    };
                    /**
                     * @description false: no further attempt, whatever the retry policy says
                     * @default true
                     */
                    retryable?: boolean;
                };
            };
        };
        responses: {
            /** @description Failed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        /** Format: uuid */
                        runId: string;
                        /** @constant */
                        state: "failed";
                        /**
                         * @description retrying: the step gets a new attempt (a new task); failed: the step and its run failed
                         * @enum {string}
                         */
                        outcome: "retrying" | "failed";
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such task in this tenant (TASK_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TASK_LEASE_LOST: another delivery holds the task or it finished; TASK_CANCELLED: its run ended; TASK_TIMED_OUT: its step timed out */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getLiveUsage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Live usage against the effective limits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveUsage"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createChatCompletion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCompletionRequest"];
            };
        };
        responses: {
            /** @description The completion */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatCompletion"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A hard budget cannot cover the call (BUDGET_EXCEEDED) */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description MODEL_UNPRICED, NO_CANDIDATE, PROVIDER_NOT_CONFIGURED or WRONG_MODEL_KIND */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every candidate failed (UPSTREAM_FAILED; details list the attempts) */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every candidate timed out (UPSTREAM_TIMEOUT) */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEmbeddings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmbeddingsRequest"];
            };
        };
        responses: {
            /** @description One embedding per input, in order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Embeddings"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description MODEL_UNPRICED, PROVIDER_NOT_CONFIGURED or WRONG_MODEL_KIND */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Models, OpenAI-style */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listLlmCalls: {
        parameters: {
            query?: {
                limit?: number;
                before?: string;
                runId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Calls, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LlmCallList"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPlans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plans */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        plans: components["schemas"]["Plan"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPlan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description Share of the pool under contention, relative to other tenants (1–10000) */
                    weight: number;
                    /** @description Steps running at once that the tenant always gets */
                    guaranteedConcurrency: number;
                    /** @description Most steps running at once, above the guarantee only from idle capacity */
                    burstCeiling: number;
                    /** @description Run starts admitted per sliding minute (RUN_RATE_LIMITED) */
                    runStartsPerMinute: number;
                    /** @description Unfinished runs (queued, running, waiting) at most (QUEUE_FULL) */
                    queuedRunsMax: number;
                    /** @description Largest run input in bytes of JSON (PAYLOAD_TOO_LARGE) */
                    maxPayloadBytes: number;
                    /** @description Most steps in one run (RUN_TOO_LARGE) */
                    maxStepsPerRun: number;
                    /** @description Days step logs are kept */
                    logRetentionDays: number;
                    /** @description Days finished runs are kept */
                    historyRetentionDays: number;
                    /** @description LLM tokens per minute through the gateway (GATEWAY_TOKENS_RATE_LIMITED) */
                    llmTokensPerMinute: number;
                    /** @description LLM requests per minute through the gateway (GATEWAY_REQUESTS_RATE_LIMITED) */
                    llmRequestsPerMinute: number;
                };
            };
        };
        responses: {
            /** @description The new plan */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A plan with this name exists (PLAN_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Burst ceiling below guaranteed concurrency, or a limit out of range (LIMITS_INVALID) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No plan with this name (PLAN_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No plan with this name (PLAN_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A built-in plan (PLAN_BUILTIN), or tenants are on it (PLAN_IN_USE) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updatePlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Share of the pool under contention, relative to other tenants (1–10000) */
                    weight?: number;
                    /** @description Steps running at once that the tenant always gets */
                    guaranteedConcurrency?: number;
                    /** @description Most steps running at once, above the guarantee only from idle capacity */
                    burstCeiling?: number;
                    /** @description Run starts admitted per sliding minute (RUN_RATE_LIMITED) */
                    runStartsPerMinute?: number;
                    /** @description Unfinished runs (queued, running, waiting) at most (QUEUE_FULL) */
                    queuedRunsMax?: number;
                    /** @description Largest run input in bytes of JSON (PAYLOAD_TOO_LARGE) */
                    maxPayloadBytes?: number;
                    /** @description Most steps in one run (RUN_TOO_LARGE) */
                    maxStepsPerRun?: number;
                    /** @description Days step logs are kept */
                    logRetentionDays?: number;
                    /** @description Days finished runs are kept */
                    historyRetentionDays?: number;
                    /** @description LLM tokens per minute through the gateway (GATEWAY_TOKENS_RATE_LIMITED) */
                    llmTokensPerMinute?: number;
                    /** @description LLM requests per minute through the gateway (GATEWAY_REQUESTS_RATE_LIMITED) */
                    llmRequestsPerMinute?: number;
                };
            };
        };
        responses: {
            /** @description The updated plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No plan with this name (PLAN_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Burst ceiling below guaranteed concurrency, or a limit out of range (LIMITS_INVALID) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTenantLimits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's limits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantLimits"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No tenant with this id (TENANT_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateTenantLimits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    weight?: number | null;
                    guaranteedConcurrency?: number | null;
                    burstCeiling?: number | null;
                    runStartsPerMinute?: number | null;
                    queuedRunsMax?: number | null;
                    maxPayloadBytes?: number | null;
                    maxStepsPerRun?: number | null;
                    logRetentionDays?: number | null;
                    historyRetentionDays?: number | null;
                    llmTokensPerMinute?: number | null;
                    llmRequestsPerMinute?: number | null;
                    /** @description A dedicated worker pool; null: back to `shared` */
                    pool?: string | null;
                };
            };
        };
        responses: {
            /** @description The tenant's limits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantLimits"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No tenant with this id (TENANT_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changeTenantPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    plan: string;
                };
            };
        };
        responses: {
            /** @description The tenant's limits on the new plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantLimits"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No plan with this name (PLAN_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listLiveUsage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per tenant */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tenants: components["schemas"]["LiveUsage"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPools: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every pool in use */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pools: components["schemas"]["PoolHealth"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listProviderKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The keys, by provider */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderKeyList"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putProviderKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The provider's API key; stored sealed, never returned */
                    apiKey: string;
                };
            };
        };
        responses: {
            /** @description The stored key (200 when replaced) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProviderKey"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No enabled provider of this name (PROVIDER_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The simulated provider takes no key (PROVIDER_NEEDS_NO_KEY) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No master key on this deployment (SECRETS_UNAVAILABLE) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteProviderKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no key of this provider (PROVIDER_KEY_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPlatformProviders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The providers, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlatformProviderList"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putPlatformProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "openai" | "anthropic" | "simulated";
                    /** @description Required unless kind is simulated */
                    baseUrl?: string | null;
                    /** @description The platform key, sealed by the master key; null removes it, absent keeps it */
                    apiKey?: string | null;
                    /** @description Timeouts; the simulated provider’s latency and error rate. Absent: kept */
                    options?: {
                        [key: string]: unknown;
                    };
                    /** @description Absent: kept (true for a new provider) */
                    enabled?: boolean;
                };
            };
        };
        responses: {
            /** @description The provider (200 when it existed) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlatformProvider"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No http(s) baseUrl for an openai or anthropic provider (PROVIDER_INVALID), or a key for a simulated one (PROVIDER_NEEDS_NO_KEY) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A platform key needs a master key (SECRETS_UNAVAILABLE) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePlatformProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No provider of this name (PROVIDER_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The simulated provider is built in (PROVIDER_BUILTIN) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModelAliases: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The aliases */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ModelAlias"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getModelAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alias */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelAlias"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no alias of this name (ALIAS_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putModelAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    /**
                     * @default cheapest
                     * @enum {string}
                     */
                    strategy?: "cheapest" | "latency" | "weighted";
                    candidates: {
                        model: string;
                        /**
                         * @description Quality tier of this candidate, 1 (basic) to 5 (best)
                         * @default 1
                         */
                        tier?: number;
                        /** @description Skip this candidate while its observed p50 latency is above this */
                        latencyTargetMs?: number;
                        /**
                         * @description Share of requests under the weighted strategy
                         * @default 1
                         */
                        weight?: number;
                    }[];
                    /**
                     * @description Tier a request gets when it asks for none
                     * @default 1
                     */
                    minTier?: number;
                    /** @default {} */
                    defaults?: {
                        system?: string;
                        temperature?: number;
                        maxTokens?: number;
                    };
                    /**
                     * @default {
                     *       "enabled": false,
                     *       "ttlSeconds": 3600
                     *     }
                     */
                    cache?: {
                        /** @default false */
                        enabled?: boolean;
                        /** @default 3600 */
                        ttlSeconds?: number;
                    };
                    /** @default [] */
                    budgetRules?: {
                        whenRemainingBelowUsd: number;
                        /** @description Use candidates of at most this tier */
                        maxTier: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description The alias as stored (201 created; 200 replaced or unchanged) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alias: components["schemas"]["ModelAlias"];
                        created: boolean;
                        changed: boolean;
                        warnings: components["schemas"]["AliasWarning"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A candidate is not in the model catalog (ALIAS_UNKNOWN_MODEL), or the candidates mix chat and embedding models (ALIAS_MIXED_KINDS) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteModelAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no alias of this name (ALIAS_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModelPrices: {
        parameters: {
            query?: {
                at?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The models, by provider and name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        at: string;
                        data: components["schemas"]["ModelPrice"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putModelPrice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
                model: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description USD per million tokens, e.g. "0.15" or 0.15 (at most 6 decimals)
                     * @example 0.15
                     */
                    inputUsdPerMtok: string | number;
                    /**
                     * @description USD per million tokens, e.g. "0.15" or 0.15 (at most 6 decimals)
                     * @example 0.15
                     */
                    outputUsdPerMtok: string | number;
                    /**
                     * @description Input tokens served from the provider prompt cache (default: the input price)
                     * @example 0.15
                     */
                    cachedInputUsdPerMtok?: string | number;
                    /**
                     * Format: date-time
                     * @description When the price starts to apply (default: now); may be in the future
                     */
                    effectiveFrom?: string;
                };
            };
        };
        responses: {
            /** @description The stored price; `replaced` when one starting at the same moment existed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        price: components["schemas"]["TenantPrice"];
                        replaced: boolean;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such model in the catalog (MODEL_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteModelPrices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
                model: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no price of its own for this model (PRICE_OVERRIDE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCatalogModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The models, by provider and name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["CatalogModel"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found, or the operator API is disabled (OPERATOR_API_DISABLED: SHOAL_OPERATOR_TOKEN unset) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putCatalogModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
                model: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    kind: components["schemas"]["ModelKind"];
                    contextTokens: number;
                };
            };
        };
        responses: {
            /** @description The model (201 added; 200 changed) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: {
                            provider: string;
                            model: string;
                            kind: components["schemas"]["ModelKind"];
                            contextTokens: number;
                            providerEnabled: boolean;
                            /** Format: date-time */
                            createdAt: string;
                        };
                        created: boolean;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such provider (PROVIDER_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addCatalogPrice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: string;
                model: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description USD per million tokens, e.g. "0.15" or 0.15 (at most 6 decimals)
                     * @example 0.15
                     */
                    inputUsdPerMtok: string | number;
                    /**
                     * @description USD per million tokens, e.g. "0.15" or 0.15 (at most 6 decimals)
                     * @example 0.15
                     */
                    outputUsdPerMtok: string | number;
                    /**
                     * @description Input tokens served from the provider prompt cache (default: the input price)
                     * @example 0.15
                     */
                    cachedInputUsdPerMtok?: string | number;
                    /**
                     * Format: date-time
                     * @description When the price starts to apply (default: now); may be in the future
                     */
                    effectiveFrom?: string;
                };
            };
        };
        responses: {
            /** @description The new catalog price */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogPrice"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No such model in the catalog (MODEL_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The model has a catalog price starting at this moment (PRICE_ALREADY_EXISTS) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBudgets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The budgets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Budget"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createBudget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /**
                     * @description What the budget counts: the whole tenant, a workflow or an API key
                     * @enum {string}
                     */
                    scope: "tenant" | "workflow" | "api_key";
                    /**
                     * Format: uuid
                     * @description The workflow's or API key's id; absent for scope tenant
                     */
                    scopeId?: string;
                    /**
                     * @description daily or monthly in the tenant's time zone, or fixed: the window startsAt–endsAt
                     * @enum {string}
                     */
                    period: "daily" | "monthly" | "fixed";
                    /**
                     * Format: date-time
                     * @description Fixed period only: the window opens
                     */
                    startsAt?: string;
                    /**
                     * Format: date-time
                     * @description Fixed period only: the window closes
                     */
                    endsAt?: string;
                    /**
                     * @description USD, e.g. "25" or 25.5 (at most 6 decimals, above 0)
                     * @example 25.00
                     */
                    limitUsd: string | number;
                    /**
                     * @description hard: refuses calls it cannot cover (402); soft: counts only
                     * @enum {string}
                     */
                    kind: "hard" | "soft";
                    /**
                     * @description Default [50, 80, 100]
                     * @example [
                     *       50,
                     *       80,
                     *       100
                     *     ]
                     */
                    alertThresholds?: number[];
                };
            };
        };
        responses: {
            /** @description The budget with its current period */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has a budget of this name (BUDGET_NAME_TAKEN) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The workflow or API key of scopeId is not in this tenant (BUDGET_SCOPE_NOT_FOUND) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The budget */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no budget with this id (BUDGET_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no budget with this id (BUDGET_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /**
                     * @description USD, e.g. "25" or 25.5 (at most 6 decimals, above 0)
                     * @example 25.00
                     */
                    limitUsd?: string | number;
                    /** @enum {string} */
                    kind?: "hard" | "soft";
                    /**
                     * @description Percentages of the limit (1–100, ascending) at which alerts are due
                     * @example [
                     *       50,
                     *       80,
                     *       100
                     *     ]
                     */
                    alertThresholds?: number[];
                };
            };
        };
        responses: {
            /** @description The budget as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no budget with this id (BUDGET_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has a budget of this name (BUDGET_NAME_TAKEN) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAlerts: {
        parameters: {
            query?: {
                budgetId?: string;
                kind?: "threshold" | "forecast";
                acknowledged?: "true" | "false";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of alerts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["BudgetAlert"][];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    acknowledgeAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alert, acknowledged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetAlert"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no alert with this id (ALERT_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAlertWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhooks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["AlertWebhook"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAlertWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Where alerts are POSTed
                     * @example https://hooks.example.com/shoal-alerts
                     */
                    url: string;
                    description?: string;
                };
            };
        };
        responses: {
            /** @description The webhook and its signing secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertWebhookWithSecret"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has the most webhooks it may (ALERT_WEBHOOK_LIMIT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAlertWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertWebhook"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no alert webhook with this id (ALERT_WEBHOOK_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAlertWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no alert webhook with this id (ALERT_WEBHOOK_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getForecast: {
        parameters: {
            query?: {
                budgetId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The forecasts, by budget name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["BudgetForecast"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant has no budget with this id (BUDGET_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listStatements: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The months */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["StatementSummary"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStatement: {
        parameters: {
            query?: {
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statement */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Statement"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The tenant's plan has no pricing for the month (PLAN_UNPRICED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The month has not begun in the tenant’s time zone (STATEMENT_MONTH_IN_FUTURE) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPlanPricing: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The versions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        plan: string;
                        versions: components["schemas"]["PlanPricing"][];
                    };
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No plan with this name (PRICING_PLAN_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setPlanPricing: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description The first month this version applies to (YYYY-MM)
                     * @example 2026-03
                     */
                    effectiveFrom: string;
                    /** @description Monthly base price, micro-USD */
                    basePriceMicroUsd: number;
                    meters: {
                        llm_tokens: components["schemas"]["TieredMeterPricing"];
                        llm_cost: components["schemas"]["PassThroughMeterPricing"];
                        runs_started: components["schemas"]["TieredMeterPricing"];
                        steps_executed: components["schemas"]["TieredMeterPricing"];
                        worker_seconds: components["schemas"]["TieredMeterPricing"];
                    };
                };
            };
        };
        responses: {
            /** @description The version set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanPricing"];
                };
            };
            /** @description Invalid request (VALIDATION_FAILED, UNKNOWN_FIELD, MALFORMED_JSON) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or wrong operator token (OPERATOR_UNAUTHENTICATED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No plan with this name (PRICING_PLAN_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Tier bounds not ascending (PRICING_TIERS_NOT_ASCENDING), an open tier before the last (PRICING_OPEN_TIER_NOT_LAST), a bounded last tier (PRICING_LAST_TIER_BOUNDED), or a month already ended somewhere (PRICING_MONTH_CLOSED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                groupBy?: "day" | "model" | "workflow" | "key" | "pool";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The usage of the range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageReport"];
                };
            };
            /** @description The range is longer than 366 days (USAGE_RANGE_TOO_LONG) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTenantObservability: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                bucket?: "hour" | "day";
                top?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statistics of the range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantObservability"];
                };
            };
            /** @description The range is longer than 31 days by hour or 366 days by day (STATS_RANGE_TOO_LONG) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not authenticated */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Role not allowed (FORBIDDEN) or CSRF token missing (CSRF_FAILED) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found in this tenant (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (RATE_LIMITED); see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
