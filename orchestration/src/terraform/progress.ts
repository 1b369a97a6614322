/**
 * Progress events: what a long-running job step (Terraform, Ansible) reports while it runs. The job
 * layer stores them and fans them out over GraphQL subscriptions, so they are JSON-safe.
 */
export type ProgressStatus = 'started' | 'running' | 'succeeded' | 'failed' | 'info' | 'warning';

export interface ProgressEvent {
  /** Dotted step name: `terraform.plan`, `terraform.apply`, `ansible.task`, ... */
  step: string;
  status: ProgressStatus;
  /** 0..100 when the tool tells us enough to estimate it. */
  percent?: number;
  /** One line for a person. */
  message: string;
  /** ISO-8601 time: the tool's own timestamp when it gives one, else when we saw the line. */
  at: string;
  /** Tool-specific structured data (resource address, task name, host, diagnostic). JSON-safe. */
  detail?: Record<string, unknown>;
}

export type ProgressCallback = (event: ProgressEvent) => void;
