// Fails when schema/schema.graphql or the web client's generated types differ from what the
// server's type-graphql classes and codegen.ts produce now. Fix with `npm run gen:schema`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const snapshot = (dir) => {
  const files = new Map();
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
};

run('npx', ['tsc', '-b', 'orchestration', 'server']);
const fresh = path.join(mkdtempSync(path.join(tmpdir(), 'schema-')), 'schema.graphql');
run(process.execPath, ['server/dist/schema/emit.js', fresh]);
const problems = [];
if (readFileSync(fresh, 'utf8') !== readFileSync('schema/schema.graphql', 'utf8')) {
  problems.push('schema/schema.graphql differs from the schema the server builds');
}
if (existsSync('codegen.ts')) {
  const before = snapshot('web/src/gql');
  run('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent']);
  const after = snapshot('web/src/gql');
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(name) !== after.get(name)) problems.push(`web/src/gql/${name} was stale (now regenerated)`);
  }
}
if (problems.length) {
  console.error(
    `Generated files are stale:\n- ${problems.join('\n- ')}\nRun \`npm run gen:schema\` and commit the result.`,
  );
  process.exit(1);
}
console.log('schema and generated client types are up to date');
