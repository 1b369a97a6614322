// graphql-ws's `subscribe`: graphql-js's `subscribe`, minus the work it repeats on every event.
//
// graphql-js runs a whole `execute` per event and per subscriber: variables coerced again, the
// selection collected again, a promise per field. One collection tick publishes thousands of events
// (bench/metrics fan-out: 2,000 subscribers), and that repetition was most of the server's CPU per
// message. Here the operation is prepared once per subscription; each event still goes through the
// root field's resolver (its middlewares and type-graphql's handler, with this subscriber's context),
// and only the projection of the resolved object onto a selection of plain scalar fields is done
// directly. That projection reads properties and serialises scalars, nothing else: it is shared by
// the subscribers of one event with the same selection (a project's sum watched by several people),
// while authorisation, errors and anything a resolver decides stay per subscriber.
// Operations that select more than that (nested objects, arguments, directives, fragments, field
// resolvers) take graphql-js's own path unchanged.
//
// A subscription field marked `@Extensions({ [EVENT_IS_RESULT]: true })` declares that its resolver
// answers each event as it is, after the root middlewares' checks. Those checks judge the
// subscription's context (the caller as authenticated when it started), which does not change while
// it runs: for such a field, once the resolver has answered an event with that same event, later
// events are projected without running the resolver again until RECHECK_MS have passed (then the next
// event runs it again). Revocation is the stream's business: each event still passes the stream's
// own live permission check (metrics.live.ts) before it gets here. Those projected events are also
// written straight to the subscriber's socket when the graphql-ws binding offers it (direct-next.ts),
// instead of through graphql-ws's loop.
import {
  createSourceEventStream,
  defaultFieldResolver,
  execute,
  getArgumentValues,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLFloat,
  GraphQLString,
  isLeafType,
  isNonNullType,
  isObjectType,
  Kind,
  locatedError,
  subscribe,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
} from 'graphql';
import { directNextFor } from './direct-next.js';
import type { Takes } from './pubsub.js';

/** Field extension: the subscription's resolver answers each event unchanged (see above). */
export const EVENT_IS_RESULT = 'eventIsResult';

/** How long a resolver's answer of "the event itself" stands for later events of one subscription. */
export const RECHECK_MS = 60_000;

interface LeafSelection {
  responseName: string;
  fieldName: string;
  /** Null for __typename. */
  type: GraphQLLeafType | null;
  nonNull: boolean;
}

interface Prepared {
  field: GraphQLField<unknown, unknown>;
  fieldNode: FieldNode;
  responseName: string;
  args: Record<string, unknown>;
  info: GraphQLResolveInfo;
  objectType: GraphQLObjectType;
  leaves: LeafSelection[];
  /** Identifies the selection among the memoised projections of one object. */
  key: string;
  /** The field is marked EVENT_IS_RESULT. */
  eventIsResult: boolean;
}

/**
 * The last projection made: its object, its selection and the result. The subscribers of one event
 * are resumed one after the other (the pub/sub wakes them in a row), so those with the same
 * selection of the same event (a project's sum watched by several people) share it. One entry, not
 * a map: with one machine per subscriber nobody shares, and a map's upkeep per event cost more
 * than the projection. The result is shared, so nothing may change it: it is only serialised.
 */
let lastObject: object | null = null;
let lastKey = '';
let lastProjection: Record<string, unknown> | undefined;
let lastJsonOf: object | null = null;
let lastJson = '';

/** The JSON of a projection, made once for the subscribers who share it. */
function jsonOf(projection: Record<string, unknown>): string {
  if (projection !== lastJsonOf) {
    lastJson = JSON.stringify(projection);
    lastJsonOf = projection;
  }
  return lastJson;
}

const isPlainField = (node: FieldNode) =>
  !node.directives?.length && !node.arguments?.length && !node.selectionSet && node.name.value !== '__schema';

/** The operation in the shape this module serves, or null for graphql-js's path. */
function prepare(args: ExecutionArgs): Prepared | null {
  const { schema, document, operationName, variableValues, rootValue } = args;
  const operation = getOperationAST(document, operationName);
  const rootType = schema.getSubscriptionType();
  if (!operation || operation.operation !== 'subscription' || !rootType) return null;
  const [fieldNode, ...more] = operation.selectionSet.selections;
  if (!fieldNode || more.length > 0 || fieldNode.kind !== Kind.FIELD || fieldNode.directives?.length) return null;
  const field = rootType.getFields()[fieldNode.name.value];
  const selections = fieldNode.selectionSet?.selections;
  if (!field || !selections?.length) return null;
  const nullable = getNullableType(field.type);
  if (!isObjectType(nullable) || nullable.isTypeOf) return null;
  const objectFields = nullable.getFields();
  const leaves: LeafSelection[] = [];
  const seen = new Set<string>();
  for (const node of selections) {
    if (node.kind !== Kind.FIELD || !isPlainField(node)) return null;
    const responseName = node.alias?.value ?? node.name.value;
    if (seen.has(responseName)) return null;
    seen.add(responseName);
    if (node.name.value === '__typename') {
      leaves.push({ responseName, fieldName: '__typename', type: null, nonNull: true });
      continue;
    }
    const def = objectFields[node.name.value];
    if (!def || (def.resolve && def.resolve !== defaultFieldResolver)) return null;
    const leafType = getNullableType(def.type);
    if (!isLeafType(leafType)) return null;
    leaves.push({ responseName, fieldName: def.name, type: leafType, nonNull: isNonNullType(def.type) });
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {});
  if (coerced.errors) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const responseName = fieldNode.alias?.value ?? fieldNode.name.value;
  const info: GraphQLResolveInfo = {
    fieldName: field.name,
    fieldNodes: [fieldNode],
    returnType: field.type,
    parentType: rootType,
    path: { prev: undefined, key: responseName, typename: rootType.name },
    schema,
    fragments,
    rootValue,
    operation,
    variableValues: coerced.coerced,
  };
  return {
    field,
    fieldNode,
    responseName,
    args: getArgumentValues(field, fieldNode, coerced.coerced),
    info,
    objectType: nullable,
    leaves,
    key: leaves.map((l) => `${l.responseName}:${l.fieldName}`).join(','),
    eventIsResult: field.extensions?.[EVENT_IS_RESULT] === true,
  };
}

/** The selection's scalars of `value`, or undefined where graphql-js would report an error. */
function project(p: Prepared, value: object): Record<string, unknown> | undefined {
  if (value === lastObject && p.key === lastKey) return lastProjection;
  const out: Record<string, unknown> = {};
  for (const leaf of p.leaves) {
    if (!leaf.type) {
      out[leaf.responseName] = p.objectType.name;
      continue;
    }
    const raw = (value as Record<string, unknown>)[leaf.fieldName];
    // A method would be called by the default resolver: graphql-js's path handles it.
    if (typeof raw === 'function') return undefined;
    if (raw === null || raw === undefined) {
      if (leaf.nonNull) return undefined;
      out[leaf.responseName] = null;
      continue;
    }
    let serialised: unknown;
    // What Float and String serialise these to is the value itself: no call per field and event.
    if (leaf.type === GraphQLFloat && typeof raw === 'number' && Number.isFinite(raw)) serialised = raw;
    else if (leaf.type === GraphQLString && typeof raw === 'string') serialised = raw;
    else
      try {
        serialised = leaf.type.serialize(raw);
      } catch {
        return undefined;
      }
    if (serialised === undefined) return undefined;
    out[leaf.responseName] = serialised;
  }
  lastObject = value;
  lastKey = p.key;
  lastProjection = out;
  return out;
}

/**
 * One event's result through the root resolver. `answeredItself` is told whether the resolver
 * answered the event itself (the fast path of EVENT_IS_RESULT fields may then skip it for a while).
 */
async function resultOf(
  p: Prepared,
  args: ExecutionArgs,
  event: unknown,
  answeredItself: (yes: boolean) => void,
): Promise<ExecutionResult> {
  let value: unknown;
  try {
    value = await (p.field.resolve ?? defaultFieldResolver)(event, p.args, args.contextValue, p.info);
  } catch (err) {
    answeredItself(false);
    const error = locatedError(err, [p.fieldNode], [p.responseName]);
    return { data: isNonNullType(p.field.type) ? null : { [p.responseName]: null }, errors: [error] };
  }
  answeredItself(value === event);
  if (value !== null && typeof value === 'object') {
    const projected = project(p, value);
    if (projected) return { data: { [p.responseName]: projected } };
  }
  // Null, or a value the direct projection would not render as graphql-js does: graphql-js's own
  // execution of the event (it runs the root resolver once more) gives the exact result and errors.
  return execute({ ...args, rootValue: event });
}

/** graphql-ws `subscribe` option: same contract as graphql-js's `subscribe`. */
export async function preparedSubscribe(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult> {
  const p = prepare(args);
  if (!p) return subscribe(args);
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  // A plain iterator rather than an async generator: return() must reach the source at once, even
  // while next() waits for an event (an async generator would queue it until the next event).
  const done = async (): Promise<IteratorResult<ExecutionResult, void>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  // When the resolver last answered an event with the event itself (EVENT_IS_RESULT fields).
  let answeredAt = -Infinity;
  const answeredItself = (yes: boolean) => {
    answeredAt = yes && p.eventIsResult ? Date.now() : -Infinity;
  };
  /** The event's projection when the resolver need not run for it (EVENT_IS_RESULT), else undefined. */
  const projectedAsIs = (event: unknown) =>
    event !== null && typeof event === 'object' && Date.now() - answeredAt < RECHECK_MS ? project(p, event) : undefined;
  /** One event's result: at once when it is projected directly, else through the resolver. */
  const answer = (
    event: unknown,
  ): IteratorResult<ExecutionResult, void> | Promise<IteratorResult<ExecutionResult, void>> => {
    const projected = projectedAsIs(event);
    if (projected) return { value: { data: { [p.responseName]: projected } }, done: false };
    return resultOf(p, args, event, answeredItself).then(
      (value) => ({ value, done: false }),
      async (err: unknown) => {
        await done();
        throw err;
      },
    );
  };
  // A source that hands over events with a callback (metrics.live.ts, realtime/pubsub.ts `take`):
  // one promise per event for the whole chain instead of one per layer.
  const take = (source as Partial<Takes<unknown>>).take?.bind(source);
  // Results projected directly go straight to the socket when the binding offers it (direct-next.ts).
  const sink = take && p.eventIsResult ? directNextFor(args) : undefined;
  const dataHead = `{"data":{${JSON.stringify(p.responseName)}:`;
  /** The event's result as JSON when it is projected as is; else undefined. */
  const directJson = (event: unknown): string | undefined => {
    const projected = projectedAsIs(event);
    return projected && dataHead + jsonOf(projected) + '}}';
  };
  const iterator: AsyncGenerator<ExecutionResult, void, void> = {
    next: take
      ? () =>
          new Promise((resolve, reject) => {
            // Events sent directly are taken in a loop here (taken synchronously when queued, or
            // later from a publish), without resolving this next(); any other result resolves it.
            let pumping = false;
            let again = false;
            const onEvent = (r: IteratorResult<unknown, void>) => {
              if (r.done) return resolve({ value: undefined, done: true });
              try {
                const json = sink && directJson(r.value);
                if (json === undefined) return resolve(answer(r.value));
                if (sink!.send(json, pump)) pump();
              } catch (err) {
                reject(err as Error);
              }
            };
            const pump = () => {
              if (pumping) {
                again = true;
                return;
              }
              pumping = true;
              do {
                again = false;
                take(onEvent, reject);
              } while (again);
              pumping = false;
            };
            pump();
          })
      : async () => {
          const r = await source.next();
          return r.done ? { value: undefined, done: true } : answer(r.value);
        },
    return: done,
    async throw(err: unknown) {
      await done();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      await done();
    },
  };
  return iterator;
}
