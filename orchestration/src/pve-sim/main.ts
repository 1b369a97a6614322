// Runs the simulator alone: `npm run pve-sim`. Configuration from the environment, parsed once.
import { createPveSimulator } from './index.js';

function env(name: string, parse: (v: string) => unknown, fallback?: unknown) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = parse(raw);
  if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
    console.error(`pve-sim: ${name}=${raw} is not valid`);
    process.exit(2);
  }
  return v;
}

const num = (v: string) => Number(v);
const bool = (v: string) => (/^(1|true|yes|on)$/i.test(v) ? true : /^(0|false|no|off)$/i.test(v) ? false : undefined);

const sim = await createPveSimulator({
  port: env('PVE_SIM_PORT', num, 8006) as number,
  host: env('PVE_SIM_HOST', String, '127.0.0.1') as string,
  seed: env('PVE_SIM_SEED', num, 1) as number,
  timeFactor: env('PVE_SIM_TIME_FACTOR', num, 1) as number,
  stateFile: env('PVE_SIM_STATE_FILE', String) as string | undefined,
  tls: env('PVE_SIM_TLS', bool, true) as boolean,
  overcommitRatio: env('PVE_SIM_OVERCOMMIT', num, 1) as number,
  demo: env('PVE_SIM_DEMO', bool, true) as boolean,
  pveVersion: env('PVE_SIM_VERSION', (v) => (v === '9.1' || v === '8.4' ? v : undefined), '9.1') as '9.1' | '8.4',
});

const out = [
  `pve-sim listening on ${sim.url}/api2/json`,
  ...(sim.tls ? [`fingerprint ${sim.tls.fingerprint}`] : []),
  `root       ${sim.credentials.root.username} / ${sim.credentials.root.password}`,
  `token      Authorization: ${sim.credentials.tokens.full.header}`,
  `privsep    Authorization: ${sim.credentials.tokens.limited.header}`,
  `control    ${sim.url}/_sim/state (see orchestration/src/pve-sim/PROTOCOL.md)`,
];
process.stdout.write(`${out.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  });
}
