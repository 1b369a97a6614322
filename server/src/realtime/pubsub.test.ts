import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createInProcessPubSub, createRedisPubSub } from './pubsub.js';
import { definePubSubContract } from './test/pubsub.contract.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

definePubSubContract('in-process', async () => createInProcessPubSub());

// Redis is a real dependency of production: the suite fails, loudly, when it is not there.
definePubSubContract('Redis', async () => {
  if (!(await redisReachable())) {
    throw new Error(`Redis is not reachable at ${redisUrl}: start it (npm test does) or set TEST_REDIS_URL`);
  }
  // A prefix per run, so parallel test files and other users of this Redis do not cross.
  return createRedisPubSub(redisUrl, `test:${randomBytes(4).toString('hex')}:`);
});
