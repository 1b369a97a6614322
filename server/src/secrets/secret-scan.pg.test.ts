// Secrets live in the secret store only. After a full run through the real surface — a cluster
// added, machines provisioned (and one failing), power operations, password and OIDC sign-in
// attempts — neither a dump of the database, nor every SQL statement sent to it, nor the API's and
// the worker's logs contain any of them. A trigger on every table keeps a copy of each row as it
// was written, so a secret written and later overwritten (a checkpoint, say) is found as well.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcTestProvider, type OidcTestProvider } from '../test/oidc-test-provider.js';
import { createLogger } from '../logger.js';
import { credentialsPath, type MachineCredentials } from '../modules/provision/credentials.js';
import { postgresUnavailable } from '../test/database.js';
import { startProvisioningPlatform, type ProvisioningPlatform } from '../test/provisioning.js';

const PUBLIC_URL = 'http://platform.test';

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** A trigger on every table (the platform's and pg-boss's) copies each inserted or updated row, as JSON, to scan_write. */
async function recordEveryWrite(url: string): Promise<void> {
  await sql(
    url,
    `create table public.scan_write (tbl text not null, body text not null);
     create function public.scan_record() returns trigger language plpgsql as $$
     begin
       insert into public.scan_write values (tg_table_schema || '.' || tg_table_name, row_to_json(new)::text);
       return new;
     end $$;
     do $$
     declare t record;
     begin
       for t in select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where c.relkind in ('r', 'p') and not c.relispartition
                  and n.nspname not in ('pg_catalog', 'information_schema') and c.relname <> 'scan_write'
       loop
         execute format('create trigger scan_record after insert or update on %I.%I for each row execute function public.scan_record()', t.nspname, t.relname);
       end loop;
     end $$;`,
  );
}

describe.skipIf(postgresUnavailable())('no secret in the database or the logs after a provisioning run', () => {
  let p: ProvisioningPlatform;
  let idp: OidcTestProvider;
  const logs: string[] = [];
  // pino writes each line to this instead of stdout, at every level.
  const sink = { write: (line: string) => void logs.push(line) };
  const secretsKey = randomBytes(32);
  const userPassword = `Pw-${randomBytes(12).toString('base64url')}`;
  const machines: string[] = [];

  beforeAll(async () => {
    idp = await startOidcTestProvider([`${PUBLIC_URL}/auth/oidc/corp/callback`]);
    p = await startProvisioningPlatform({
      api: {
        secretsKey,
        log: createLogger('trace', 'api', sink),
        env: {
          PUBLIC_URL,
          OIDC_PROVIDERS: JSON.stringify([
            {
              id: 'corp',
              displayName: 'Corp',
              issuer: idp.issuer,
              clientId: idp.clientId,
              clientSecretRef: 'oidc/corp',
            },
          ]),
        },
      },
      workerLog: createLogger('trace', 'worker', sink),
    });
    await p.api.app.services.secrets.write('oidc/corp', { clientSecret: idp.clientSecret });
    await recordEveryWrite(p.api.db.url);

    // Provisioning: a VM and a container to the end, one VM whose start Proxmox refuses.
    for (const [name, kind] of [
      ['scan-vm', 'VM'],
      ['scan-ct', 'LXC'],
    ] as const) {
      const { machine, job } = await p.provision({ name, templateId: p.templates[kind] });
      const events = await p.follow(job.id);
      expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
      machines.push(machine.id);
    }
    // The root password did reach Proxmox (cloud-init), straight from the secret store.
    const vm = p.sim.state.guests.find((g) => g.config.name === 'scan-vm');
    expect(vm?.config.cipassword).toBeTruthy();
    p.sim.control.failNextTask('qmstart', 'start failed: no space left on device');
    const failed = await p.provision({ name: 'scan-failing', templateId: p.templates.VM });
    expect((await p.follow(failed.job.id)).at(-1)).toMatchObject({ data: { status: 'FAILED' } });
    // A power operation on the VM, through its job.
    const { rebootMachine } = await p.api.ok(
      `mutation($id: ID!) { rebootMachine(input: { id: $id }) { id } }`,
      { id: machines[0] },
      p.admin.token,
    );
    expect((await p.follow(rebootMachine.id)).at(-1)).toMatchObject({ data: { status: 'SUCCEEDED' } });
    // Sign-in: a wrong password, then the right one; an OIDC sign-in started.
    const { createUser } = await p.api.ok(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }`,
      { input: { email: 'scan@example.com', displayName: 'Scan', password: userPassword, isPlatformAdmin: false } },
      p.admin.token,
    );
    expect(createUser.email).toBe('scan@example.com');
    await p.api.fail(`mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
      i: { email: 'scan@example.com', password: `${userPassword}x` },
    });
    await p.api.ok(`mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
      i: { email: 'scan@example.com', password: userPassword },
    });
    const start = await fetch(`${p.api.url}/auth/oidc/corp/start`, { redirect: 'manual' });
    expect([302, 303]).toContain(start.status);
    expect(start.headers.get('location')).toContain(idp.issuer);
  }, 180_000);
  afterAll(async () => {
    await p?.close();
    await idp?.close();
  });

  /** Every secret of the run, each with the forms it could be written in. */
  async function secrets(): Promise<[string, string][]> {
    const out: [string, string][] = [];
    out.push(['Proxmox API token secret', p.sim.credentials.tokens.full.secret]);
    for (const encoding of ['base64', 'base64url', 'hex'] as const)
      out.push([`local secret store key (${encoding})`, secretsKey.toString(encoding)]);
    out.push(['OIDC client secret', idp.clientSecret]);
    out.push(['user password', userPassword]);
    for (const id of machines) {
      const stored = await p.api.app.services.secrets.read(credentialsPath(id));
      const creds = stored!.data as unknown as MachineCredentials;
      out.push([`root password of machine ${id}`, creds.rootPassword]);
      // The PEM's body lines: found whether the key is written with real or escaped newlines.
      for (const line of creds.sshPrivateKey.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')))
        out.push([`SSH private key of machine ${id}`, line]);
    }
    return out;
  }

  const leaks = async (where: string, text: string) =>
    (await secrets()).filter(([, value]) => text.includes(value)).map(([what]) => `${what} in ${where}`);

  it('the run logged and stored something to scan', async () => {
    expect(logs.join('')).toContain('"name":"worker"');
    expect(logs.join('')).toContain('job run ended');
    expect(Number((await sql(p.api.db.url, 'select count(*) from scan_write'))[0]!.count)).toBeGreaterThan(100);
  });

  it('finds none of them in a pg_dump of the database', async () => {
    const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', '--dbname', p.api.db.url], {
      maxBuffer: 256 * 2 ** 20,
    });
    // The dump holds the run's rows: the machines and the encrypted secrets among them.
    expect(stdout).toContain(machines[0]);
    expect(stdout).toMatch(/COPY public\.secret_version/);
    expect(await leaks('the database dump', stdout)).toEqual([]);
  });

  it('finds none of them in any row written during the run, even one overwritten since', async () => {
    const rows = await sql(p.api.db.url, 'select tbl, body from scan_write');
    // Rows as they were before being overwritten are there too: a job's checkpoint after its first step.
    expect(rows.some((r) => r.tbl === 'public.job' && /"done": ?\["place"\]/.test(String(r.body)))).toBe(true);
    expect(rows.some((r) => r.tbl === 'public.job' && String(r.body).includes('"checkpoint"'))).toBe(true);
    expect(await leaks('a row written to the database', rows.map((r) => `${r.tbl} ${r.body}`).join('\n'))).toEqual([]);
  });

  it('finds none of them in the logs of the API and the worker', async () => {
    expect(await leaks('the logs', logs.join(''))).toEqual([]);
  });
});
