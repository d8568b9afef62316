-- 0014: a run's trace context (docs/adr/0011-tracing.md). The API process that starts a run
-- reserves the run span's id under its HTTP span and stores it here; workers parent the step
-- attempt spans on it, and one of them emits the run span once the run has finished.

alter table runs add column trace_context text
  check (trace_context ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
alter table runs add column trace_parent_span_id text check (trace_parent_span_id ~ '^[0-9a-f]{16}$');
-- True from creation until a worker has emitted the run span; only such rows are in the index.
alter table runs add column trace_open boolean not null default false;
create index runs_trace_open_idx on runs (finished_at) where trace_open;
grant update (trace_open) on runs to shoal_system;
