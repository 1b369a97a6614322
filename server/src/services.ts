import type { Config } from './config.js';
import type { SessionKeys } from './auth/session.js';
import type { JobQueue } from './jobs/queue.js';
import type { PubSub } from './realtime/pubsub.js';

/** Long-lived collaborators built once by createApp and shared by every request. */
export interface Services {
  config: Config;
  sessionKeys: SessionKeys;
  secrets: SecretWriter;
  pubsub: PubSub;
  jobs: JobQueue;
}

/** The part of the secret store the API needs now (the full interface lives in secrets/). */
export interface SecretWriter {
  write(path: string, data: Record<string, string>): Promise<unknown>;
  destroy(path: string): Promise<unknown>;
}
