-- 0007: each step lists the steps that need it, so finishing a step releases its dependants
-- by key instead of scanning every step of the run for `needs` (src/engine/settle-dependants.ts).
alter table run_steps add column dependants text[] not null default '{}';
update run_steps s
   set dependants = array(select d.step_key from run_steps d
                           where d.tenant_id = s.tenant_id and d.run_id = s.run_id
                             and d.parent_key is null and s.step_id = any(d.needs))
 where s.parent_key is null;
