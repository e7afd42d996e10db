export { Scheduler, type SchedulerOptions } from './scheduler.js';
export type { SchedulerHooks } from './hooks.js';
export { RunAbortedError, type RunContext, type ScheduledTask } from './task.js';
export {
  compileSchedule,
  defaultJitter,
  nextPlannedTime,
  sameSchedule,
  type CompiledCron,
  type CompiledInterval,
  type CompiledSchedule,
  type PlannedRun,
} from './plan.js';
export { CronSlotCache, CronSlots, defaultTimeZone } from './cron.js';
