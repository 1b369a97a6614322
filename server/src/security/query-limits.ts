// Limits on what one GraphQL operation may ask for: characters and tokens (checked before parsing),
// then depth, aliases, directives and cost (validation rules). The same checks run for HTTP
// (Apollo's `validationRules` plus an Express guard before Apollo parses) and for graphql-ws
// (`onSubscribe`), so a subscription cannot do what a query may not.
//
// The rules are ours rather than graphql-armor's: armor's visitors throw out of `validate` (or
// report a bare "Syntax Error" without the numbers), and its Apollo plugin does not reach
// graphql-ws. Defaults follow armor's (reference/security-reliability.md B.1.2), except cost (see
// maxCost, which counts differently) and depth:
// our connections (`machines { edges { node { project { organization { name } } } } }`) need 8.
import {
  GraphQLError,
  Kind,
  Lexer,
  NoSchemaIntrospectionCustomRule,
  Source,
  getOperationAST,
  TokenKind,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { DomainError, Errors } from '../errors/domain-error.js';

export interface QueryLimits {
  maxCharacters: number;
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxCharacters: 15_000,
  maxTokens: 1_000,
  maxDepth: 8,
  maxAliases: 15,
  maxDirectives: 50,
  // Counts response fields, lists multiplied by their page size (armor's 5,000 counts each field
  // once): the web app's organizations page (50 organizations × 50 projects) costs about 18,000.
  maxCost: 30_000,
};

/** Cost model: a leaf costs 1, an object 2; see costOf for lists. */
const SCALAR_COST = 1;
const OBJECT_COST = 2;
/** What `first: $variable` is assumed to be: the largest page the API serves. */
const VARIABLE_PAGE_SIZE = 100;
/** Aliasing `__typename` is what Apollo Client does; it costs nothing. */
const ALIAS_ALLOW_LIST = new Set(['__typename']);

/** A limit broken by the operation, as a GraphQLError carrying the DomainError the edge maps. */
function limitError(
  limit: Parameters<typeof Errors.queryLimit>[0],
  max: number,
  actual: number,
  node?: OperationDefinitionNode,
): GraphQLError {
  const domain = Errors.queryLimit(limit, max, actual);
  return new GraphQLError(domain.message, { nodes: node ? [node] : undefined, originalError: domain });
}

/** The escapes `\u0000` and `\u{0}` in GraphQL string literals (the raw character is checked apart). */
const NUL_ESCAPE = /\\u0000|\\u\{0+\}/i;

/**
 * True when the operation carries a NUL character (U+0000), in the query text (raw or escaped) or
 * in a variable. PostgreSQL text cannot hold one, and the driver inlines values into SQL, where a
 * NUL breaks the wire protocol (08P01) and surfaced as an internal error. Found by fuzz.db.test.ts.
 */
export function carriesNul(query: unknown, variables: unknown, depth = 0): boolean {
  if (typeof query === 'string' && (query.includes('\u0000') || NUL_ESCAPE.test(query))) return true;
  if (depth > 20) return false;
  if (typeof variables === 'string') return variables.includes('\u0000');
  if (Array.isArray(variables)) return variables.some((v) => carriesNul(null, v, depth + 1));
  if (variables && typeof variables === 'object') {
    return Object.entries(variables).some(([k, v]) => k.includes('\u0000') || carriesNul(null, v, depth + 1));
  }
  return false;
}

export function nulError(): GraphQLError {
  const domain = Errors.invalid('input', 'text may not contain the NUL character (U+0000); remove it');
  return new GraphQLError(domain.message, { originalError: domain });
}

/** Characters and tokens, counted before anything is parsed. null when within the limits. */
export function checkQuerySource(query: string, limits: QueryLimits = defaultQueryLimits): GraphQLError | null {
  if (query.length > limits.maxCharacters) return limitError('characters', limits.maxCharacters, query.length);
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++tokens > limits.maxTokens) return limitError('tokens', limits.maxTokens, tokens);
    }
  } catch {
    // A lexing error is a syntax error: the parser reports it with its position.
  }
  return null;
}

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>;
  /** Fragments on the current path: a cycle is NoFragmentCyclesRule's to report, not ours to recurse into. */
  path: Set<string>;
}

function isIntrospection(name: string): boolean {
  return name === '__schema' || name === '__type';
}

/** Deepest field nesting of a selection set (introspection fields are not counted). */
function depthOf(set: SelectionSetNode | undefined, walk: Walk): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    let d = 0;
    if (sel.kind === Kind.FIELD) d = isIntrospection(sel.name.value) ? 0 : 1 + depthOf(sel.selectionSet, walk);
    else if (sel.kind === Kind.INLINE_FRAGMENT) d = depthOf(sel.selectionSet, walk);
    else d = viaFragment(sel.name.value, walk, (f) => depthOf(f.selectionSet, walk));
    if (d > max) max = d;
  }
  return max;
}

function aliasesOf(set: SelectionSetNode | undefined, walk: Walk): number {
  if (!set) return 0;
  let n = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.alias && !ALIAS_ALLOW_LIST.has(sel.name.value)) n++;
      n += aliasesOf(sel.selectionSet, walk);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) n += aliasesOf(sel.selectionSet, walk);
    else n += viaFragment(sel.name.value, walk, (f) => aliasesOf(f.selectionSet, walk));
  }
  return n;
}

function directivesOf(set: SelectionSetNode | undefined, walk: Walk): number {
  if (!set) return 0;
  let n = 0;
  for (const sel of set.selections) {
    n += sel.directives?.length ?? 0;
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      n += viaFragment(sel.name.value, walk, (f) => (f.directives?.length ?? 0) + directivesOf(f.selectionSet, walk));
    } else n += directivesOf(sel.selectionSet, walk);
  }
  return n;
}

function pageSize(field: {
  arguments?: readonly { name: { value: string }; value: { kind: Kind; value?: unknown } }[];
}): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  if (!arg) return 1;
  if (arg.value.kind === Kind.INT) return Math.min(Math.max(Number(arg.value.value), 1), 10_000);
  if (arg.value.kind === Kind.VARIABLE) return VARIABLE_PAGE_SIZE;
  return 1;
}

/**
 * Estimated fields in the response. Inside a field asked for with `first: n`, its `edges` or `nodes`
 * count n times (not `totalCount` or `pageInfo`), so nested connections multiply as their rows do.
 */
function costOf(set: SelectionSetNode | undefined, walk: Walk, page = 1): number {
  if (!set) return 0;
  let n = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (isIntrospection(sel.name.value)) continue;
      const times = page > 1 && (sel.name.value === 'edges' || sel.name.value === 'nodes') ? page : 1;
      n += times * (sel.selectionSet ? OBJECT_COST + costOf(sel.selectionSet, walk, pageSize(sel)) : SCALAR_COST);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) n += costOf(sel.selectionSet, walk, page);
    else n += viaFragment(sel.name.value, walk, (f) => costOf(f.selectionSet, walk, page));
  }
  return n;
}

function viaFragment(name: string, walk: Walk, measure: (f: FragmentDefinitionNode) => number): number {
  const fragment = walk.fragments.get(name);
  if (!fragment || walk.path.has(name)) return 0;
  walk.path.add(name);
  try {
    return measure(fragment);
  } finally {
    walk.path.delete(name);
  }
}

/** One validation rule that measures each operation once and reports every limit it breaks. */
export function queryLimitsRule(limits: QueryLimits = defaultQueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    return {
      OperationDefinition(op) {
        const walk = (): Walk => ({ fragments, path: new Set() });
        const checks: [Parameters<typeof Errors.queryLimit>[0], number, () => number][] = [
          ['depth', limits.maxDepth, () => depthOf(op.selectionSet, walk())],
          ['aliases', limits.maxAliases, () => aliasesOf(op.selectionSet, walk())],
          [
            'directives',
            limits.maxDirectives,
            () => (op.directives?.length ?? 0) + directivesOf(op.selectionSet, walk()),
          ],
          ['cost', limits.maxCost, () => costOf(op.selectionSet, walk())],
        ];
        for (const [limit, max, measure] of checks) {
          const actual = measure();
          if (actual > max) context.reportError(limitError(limit, max, actual, op));
        }
        return false;
      },
    };
  };
}

/**
 * HTTP only: a subscription sent as a POST would run once through `execute` and fail inside.
 * Subscriptions go over graphql-ws, which has its own rule list without this one.
 */
export const noSubscriptionOverHttpRule: ValidationRule = (context) => ({
  OperationDefinition(op) {
    if (op.operation === 'subscription') {
      context.reportError(
        new GraphQLError('Subscriptions run over the WebSocket (graphql-ws) at /graphql, not over HTTP POST.', {
          nodes: [op],
        }),
      );
    }
    return false;
  },
});

/** Words graphql-js adds to "Cannot query field" errors; they reveal the schema when introspection is off. */
const SUGGESTION = / ?Did you mean .*\?$/;

export function hideSuggestions(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

export interface OperationGuard {
  limits: QueryLimits;
  /** Rules for Apollo's `validationRules` (it adds graphql-js's specified rules itself): HTTP only. */
  validationRules: ValidationRule[];
  /**
   * For graphql-ws `onSubscribe`: checks size, parses, validates with the same rules as HTTP, and
   * returns the document or the errors to send.
   */
  prepare(
    schema: GraphQLSchema,
    query: unknown,
    operationName?: string | null,
    variables?: unknown,
  ): { document: DocumentNode } | { errors: GraphQLError[] };
}

export function createOperationGuard(opts: {
  production: boolean;
  introspection: boolean;
  limits?: QueryLimits;
}): OperationGuard {
  const limits = opts.limits ?? defaultQueryLimits;
  const validationRules: ValidationRule[] = [queryLimitsRule(limits), noSubscriptionOverHttpRule];
  const wsRules = [
    ...specifiedRules,
    queryLimitsRule(limits),
    ...(opts.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return {
    limits,
    validationRules,
    prepare(schema, query, operationName, variables) {
      if (typeof query !== 'string') {
        return {
          errors: [new GraphQLError('The operation has no query string.', { extensions: { code: 'BAD_REQUEST' } })],
        };
      }
      const tooBig = checkQuerySource(query, limits);
      if (tooBig) return { errors: [tooBig] };
      if (carriesNul(query, variables)) return { errors: [nulError()] };
      let document: DocumentNode;
      try {
        document = parse(query, { maxTokens: limits.maxTokens });
      } catch (err) {
        if (err instanceof GraphQLError) return { errors: [err] };
        throw err;
      }
      const errors = validate(schema, document, wsRules);
      if (errors.length) return { errors: opts.production ? errors.map(hideSuggestions) : [...errors] };
      // Mutations go over HTTP, where they are rate limited and audited; the socket is for subscriptions.
      if (getOperationAST(document, operationName ?? undefined)?.operation === 'mutation') {
        return {
          errors: [
            new GraphQLError('Send mutations as HTTP POST /graphql; the WebSocket carries queries and subscriptions.', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ],
        };
      }
      return { document };
    },
  };
}

/** The message of a refused operation, for the HTTP guard. */
export function isQueryLimitError(error: GraphQLError): boolean {
  return error.originalError instanceof DomainError && error.originalError.code === 'QUERY_LIMIT_EXCEEDED';
}
