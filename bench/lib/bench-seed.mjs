// Seeding a benchmark's database through the API's own ORM (openOrm migrates it first).
const dist = (p) => new URL(`../../server/dist/${p}`, import.meta.url).href;

/** Opens the API's ORM on `url` (migrating the database), runs `fn(em)` on a fork of it, then closes it. */
export async function withOrm(url, fn) {
  const { openOrm } = await import(dist('db/orm.js'));
  const orm = await openOrm({ url, poolSize: 2 });
  try {
    return await fn(orm.em.fork());
  } finally {
    await orm.close();
  }
}

/** Flushes what `em` holds, with a cluster and a VM template of it (the API needs both for machines). */
export async function seedClusterTemplate(em) {
  const cluster = em.create('Cluster', {
    name: 'c1',
    apiUrl: 'https://pve:8006',
    tokenId: 'a@pve!t',
    tokenSecretRef: 'x',
  });
  const template = em.create('Template', {
    cluster,
    name: 'debian-12',
    kind: 'VM',
    os: 'debian-12',
    sourceVmid: 9000,
    defaultCores: 2,
    defaultMemoryMiB: 2048,
    defaultDiskGiB: 10,
  });
  await em.flush();
  return { cluster, template };
}

/**
 * Flushes what `em` holds, with a cluster and a VM template, then adds `count` machines of `project`
 * owned by `owner` in one statement (names vm-<n>, n zero-padded to `digits`; status, size and
 * memory varied) and analyzes. created_at is distinct per row and cut to milliseconds, as the API
 * writes it (JS Dates): cursors carry millisecond Dates, and rows with microseconds would repeat at
 * page boundaries.
 */
export async function seedMachines(em, { project, owner, count, digits }) {
  const { cluster, template } = await seedClusterTemplate(em);
  await em.getConnection().execute(
    `insert into "machine" ("id", "created_at", "updated_at", "kind", "name", "project_id", "owner_id", "cluster_id",
       "vmid", "status", "cores", "memory_mib", "disk_gib", "template_id", "tags")
     select gen_random_uuid(), t.at, t.at, 'VM', 'vm-' || lpad(n::text, ?, '0'), ?, ?, ?, 100 + n,
       (array['RUNNING', 'STOPPED', 'PENDING', 'FAILED'])[1 + n % 4]::machine_status,
       1 + n % 8, 1024 * (1 + n % 4), 10 + n % 50, ?, array['bench']
     from generate_series(1, ?) as n,
       lateral (select date_trunc('milliseconds', now() - make_interval(secs => ? - n)) as at) as t`,
    [digits, project.id, owner.id, cluster.id, template.id, count, count],
  );
  await em.getConnection().execute('analyze');
}
