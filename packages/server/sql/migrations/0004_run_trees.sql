-- 0004: child runs (the `workflow` step), map fan-out children and run deadlines.
-- Data model and invariants: src/engine/ARCHITECTURE.md ("Run trees", "Map", "Deadlines").

-- A child run points at the step that started it; every run of a tree points at its root,
-- whose row lock serialises all changes to the tree (lock order: root, then the run).
alter table runs add column parent_run_id uuid;
alter table runs add column parent_step_key text;
alter table runs add column root_run_id uuid;
alter table runs add column depth smallint not null default 0 check (depth >= 0);
-- The worker pool the run's steps are queued on, so work a child run releases goes to it too.
alter table runs add column pool text not null default 'shared';
update runs set root_run_id = id;
alter table runs alter column root_run_id set not null;
alter table runs add constraint runs_parent_fk
  foreign key (tenant_id, parent_run_id, parent_step_key) references run_steps (tenant_id, run_id, step_key);
alter table runs add constraint runs_parent_complete
  check ((parent_run_id is null) = (parent_step_key is null) and (parent_run_id is null) = (root_run_id = id));
create index runs_parent_idx on runs (tenant_id, parent_run_id) where parent_run_id is not null;
create index runs_deadline_idx on runs (deadline_at)
  where deadline_at is not null and state in ('queued', 'running', 'waiting');

-- The items of a map step are steps of the run: `parent_key` is the map step's key, `item`
-- and `item_index` what the child's expressions read as `item` and `index`.
alter table run_steps add column parent_key text;
alter table run_steps add column item jsonb;
alter table run_steps add column item_index integer check (item_index >= 0);
grant update (item) on run_steps to shoal_app;
alter table run_steps add constraint run_steps_item_complete
  check ((parent_key is null) = (item_index is null));
alter table run_steps drop constraint run_steps_wait_reason_check;
alter table run_steps add constraint run_steps_wait_reason_check
  check (wait_reason in ('sleep', 'approval', 'task', 'workflow', 'map'));
create index run_steps_children_idx on run_steps (tenant_id, run_id, parent_key, item_index)
  where parent_key is not null;
