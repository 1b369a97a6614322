import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the web client, generated from the committed schema file, never from a running
// server. `npm run gen:schema` emits the schema and then runs this; `npm run check:schema` fails when
// either is stale.
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['web/src/**/*.{ts,tsx,graphql}', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: 'client',
      presetConfig: {
        // Components receive whole query results today; turn masking on with the first fragment.
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Apollo Client always adds __typename, and never to root operation types.
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
        avoidOptionals: { field: true, inputValue: false },
        defaultScalarType: 'unknown',
        // type-graphql's Date scalar: an ISO-8601 string on the wire.
        scalars: { DateTimeISO: 'string' },
      },
    },
  },
};

export default config;
