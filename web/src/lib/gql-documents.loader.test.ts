import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphql } from '@/gql';

// The build's loader (web/gql-documents.loader.cjs) writes each graphql(`...`) call of a documents file
// as the generated document. What it writes must be exactly what graphql() returns at run time, for every
// operation of the app, or a page would send a different operation than the one it was typed against.
const web = path.resolve(import.meta.dirname, '../..');
const loader = createRequire(import.meta.url)(path.join(web, 'gql-documents.loader.cjs')) as {
  inlineDocuments: (source: string, documents: Map<string, string>) => string;
  generatedDocuments: () => Map<string, string>;
};

function documentsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'gql' ? [] : documentsFiles(full);
    return entry.name.endsWith('.documents.ts') ? [full] : [];
  });
}

describe('gql-documents loader', () => {
  const documents = loader.generatedDocuments();
  const files = documentsFiles(path.join(web, 'src'));

  it('replaces every graphql() call by the document graphql() returns, and drops the map import', () => {
    let calls = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const texts = [...source.matchAll(/\bgraphql\(\s*`([^`]*)`\s*\)/g)].map((m) => m[1]!);
      const inlined = loader.inlineDocuments(source, documents);
      expect(inlined, file).not.toMatch(/\bgraphql\(|from '@\/gql';/);
      const written = [...inlined.matchAll(/= \((\{"kind":"Document".*?\})\)(?:;|\n)/g)].map((m) => JSON.parse(m[1]!));
      expect(written.length, file).toBe(texts.length);
      texts.forEach((text, i) => expect(written[i], `${file}: ${text.trim().split('\n')[0]}`).toEqual(graphql(text)));
      calls += texts.length;
    }
    expect(calls).toBeGreaterThan(50);
  });

  it('leaves a call it has no generated document for (codegen not re-run) as it was', () => {
    const source =
      "import { graphql } from '@/gql';\nexport const Q = graphql(`\n  query NotGeneratedYet { viewer { id } }\n`);\n";
    expect(loader.inlineDocuments(source, documents)).toBe(source);
  });
});
