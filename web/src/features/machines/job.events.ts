// Reading a job's event stream (orchestration/PROTOCOL.md): the same shape whether it comes live from
// jobProgress or stored from Job.events.

export interface JobEventLike {
  seq: number;
  step: string;
  status: string;
  percent: number | null;
  message: string;
  data: unknown;
}

export type StepState = 'running' | 'succeeded' | 'skipped' | 'failed' | 'rolledBack';

export interface StepView {
  name: string;
  state: StepState;
  message: string;
}

/** The steps in the order they started, each with its last state. */
export function stepsOf(events: readonly JobEventLike[]): StepView[] {
  const steps = new Map<string, StepView>();
  for (const e of events) {
    if (e.step === 'job') continue;
    const current = steps.get(e.step);
    switch (e.status) {
      case 'started':
        steps.set(e.step, { name: e.step, state: 'running', message: e.message });
        break;
      case 'progress':
        if (current) current.message = e.message;
        break;
      case 'succeeded':
      case 'skipped':
      case 'failed':
      case 'rolledBack':
        steps.set(e.step, { name: e.step, state: e.status, message: e.message });
        break;
    }
  }
  return [...steps.values()];
}

/** The job's overall percentage: the last event that carried one. */
export function percentOf(events: readonly JobEventLike[]): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const percent = events[i]?.percent;
    if (typeof percent === 'number') return percent;
  }
  return 0;
}

/** The job's final state from its `finished` event (data.status), or null while it runs. */
export function finalStatusOf(events: readonly JobEventLike[]): string | null {
  const finished = events.findLast((e) => e.status === 'finished');
  if (!finished) return null;
  const status = (finished.data as { status?: unknown } | null)?.status;
  return typeof status === 'string' ? status : 'FINISHED';
}

/** The step that runs now: the last one that started and has not ended. */
export function currentStepOf(events: readonly JobEventLike[]): string | null {
  return stepsOf(events).findLast((s) => s.state === 'running')?.name ?? null;
}

/** Why it failed, in the words of the step that failed. */
export function failureOf(events: readonly JobEventLike[]): string | null {
  return events.findLast((e) => e.status === 'failed')?.message ?? null;
}

export function logLinesOf(events: readonly JobEventLike[]): JobEventLike[] {
  return events.filter((e) => e.status === 'log');
}

/** A step's message worth showing: the runner's own "<step> started/done" adds nothing to the badge. */
export function stepDetail(step: StepView): string {
  return new RegExp(`^${step.name} (started|done)$`).test(step.message) ? '' : step.message;
}

/** Words for a step name as the workflow spells it (place, reserve, ...). */
export const STEP_LABEL: Record<string, string> = {
  queue: 'Queued',
  place: 'Choosing a node',
  reserve: 'Reserving a VMID',
  secrets: 'Generating credentials',
  create: 'Creating the guest',
  start: 'Starting',
  address: 'Waiting for an address',
  configure: 'Configuring',
  ready: 'Finishing',
};

export function stepLabel(step: string): string {
  return STEP_LABEL[step] ?? step.charAt(0).toUpperCase() + step.slice(1);
}
