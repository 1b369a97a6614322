/* eslint-disable @typescript-eslint/no-require-imports -- Turbopack runs webpack-style loaders, which are CommonJS. */
// Turbopack loader for src/**/*.documents.ts (see next.config.ts): each `graphql(`...`)` call becomes the
// document codegen generated for it in src/gql/graphql.ts (the same parsed document `graphql()` returns,
// written in place). Without it every page that uses one document also carries src/gql/gql.ts and
// graphql.ts, every operation of the app (~9 KB gzip of each route's first load); with it a page has the
// documents it uses. A call whose document is not found (codegen not re-run yet) is left as it was.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const GENERATED = path.join(__dirname, 'src/gql/graphql.ts');
const CALL = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
const DEFINITION = /\b(query|mutation|subscription|fragment)\s+([A-Za-z_]\w*)/;
// codegen's client preset writes each document on one line: `export const XDocument = {...} as unknown as DocumentNode<...>;`
const GENERATED_DOCUMENT = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;

/** The generated documents by export name (`ViewerDocument`, `QuotaFieldsFragmentDoc`), as source text. */
function generatedDocuments() {
  const source = readFileSync(GENERATED, 'utf8');
  return new Map([...source.matchAll(GENERATED_DOCUMENT)].map((m) => [m[1], m[2]]));
}

/** `source` with each graphql(`...`) call replaced by its generated document. */
function inlineDocuments(source, documents) {
  let left = 0;
  const replaced = source.replace(CALL, (call, text) => {
    const definition = DEFINITION.exec(text);
    const name = definition && `${definition[2]}${definition[1] === 'fragment' ? 'FragmentDoc' : 'Document'}`;
    const document = name && documents.get(name);
    if (!document) {
      left += 1;
      return call;
    }
    return `(${document})`;
  });
  // The `graphql` import goes with its last call, and src/gql/gql.ts with it.
  return left === 0 ? replaced.replace(/^import \{ graphql \} from '@\/gql';\n/m, '') : replaced;
}

module.exports = function gqlDocumentsLoader(source) {
  this.addDependency?.(GENERATED);
  return inlineDocuments(source, generatedDocuments());
};
module.exports.inlineDocuments = inlineDocuments;
module.exports.generatedDocuments = generatedDocuments;
