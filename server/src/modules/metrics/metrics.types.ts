// The GraphQL shapes of time series, live samples and cluster status. All plain data: their fields
// use graphql-js's default resolver (simpleResolvers) instead of a type-graphql wrapper per field,
// which a chart runs ~2,300 times (288 points) and every live event once per field and subscriber.
import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One point of a series: the average (and peak) over its interval.', simpleResolvers: true })
export class MetricPoint {
  @Field({ description: 'Start of the interval the point summarises (ISO-8601).' })
  at!: string;

  @Field(() => Float, {
    description: 'CPU use: a fraction (0..1) of the resource; for a project, the cores in use (summed).',
  })
  cpu!: number;

  @Field(() => Float, { description: 'Highest CPU use within the interval (same unit as cpu).' })
  cpuMax!: number;

  @Field(() => Float, { description: 'Bytes of memory in use.' })
  memoryBytes!: number;

  @Field(() => Float, { description: 'Highest memory use within the interval, bytes.' })
  memoryMaxBytes!: number;

  @Field(() => Float, { description: 'Memory available to the resource, bytes.' })
  memoryTotalBytes!: number;

  @Field(() => Float, { description: 'Bytes per second received.' })
  netIn!: number;

  @Field(() => Float, { description: 'Bytes per second sent.' })
  netOut!: number;

  @Field(() => Float, { description: 'Bytes per second read from disk.' })
  diskRead!: number;

  @Field(() => Float, { description: 'Bytes per second written to disk.' })
  diskWrite!: number;

  @Field(() => Float, { description: 'Disk bytes in use (storages, nodes, containers).' })
  diskUsedBytes!: number;

  @Field(() => Float)
  diskTotalBytes!: number;
}

@ObjectType({ description: 'A series downsampled on the server to at most maxPoints points.', simpleResolvers: true })
export class MetricSeries {
  @Field({ description: 'raw (every collection), 1m or 1h: the stored level the points come from.' })
  source!: string;

  @Field(() => Int, { description: 'Seconds each point spans.' })
  stepSeconds!: number;

  @Field(() => [MetricPoint])
  points!: MetricPoint[];
}

// Live samples and a node's status share fields through an abstract base and a mixin: type-graphql
// adds a superclass's fields to the type, and abstract classes stay out of the schema.
@ObjectType({ simpleResolvers: true })
abstract class Sample {
  @Field()
  at!: string;

  @Field(() => Float)
  memoryBytes!: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base must take `...args: any[]`
type AbstractClass = abstract new (...args: any[]) => object;

/** Base plus the I/O rates a collection measures: live samples carry them, a node's status does not. */
function withIoRates<TBase extends AbstractClass>(Base: TBase) {
  @ObjectType({ simpleResolvers: true })
  abstract class WithIoRates extends Base {
    @Field(() => Float)
    netIn!: number;

    @Field(() => Float)
    netOut!: number;

    @Field(() => Float)
    diskRead!: number;

    @Field(() => Float)
    diskWrite!: number;
  }
  return WithIoRates;
}

@ObjectType({ description: 'A live sample of a machine, one per collection.', simpleResolvers: true })
export class MachineMetricSample extends withIoRates(Sample) {
  @Field()
  machineId!: string;

  @Field(() => Float, { description: 'Fraction (0..1) of the machine’s cores.' })
  cpu!: number;
}

@ObjectType({ description: 'A node as last collected.', simpleResolvers: true })
export class NodeStatusSample extends Sample {
  @Field()
  node!: string;

  @Field()
  status!: string;

  @Field(() => Float)
  cpu!: number;

  @Field(() => Float)
  cpus!: number;

  @Field(() => Float)
  memoryTotalBytes!: number;
}

@ObjectType({ description: 'A live sample of a Proxmox node, one per collection.', simpleResolvers: true })
export class NodeMetricSample extends withIoRates(NodeStatusSample) {
  @Field()
  clusterId!: string;
}

@ObjectType({ description: "A project's machines summed over one collection.", simpleResolvers: true })
export class ProjectMetricSample extends withIoRates(Sample) {
  @Field()
  projectId!: string;

  @Field(() => Int, { description: 'Machines in the sample.' })
  machines!: number;

  @Field(() => Float, { description: 'Cores in use, summed.' })
  cpu!: number;
}

@ObjectType({ simpleResolvers: true })
export class CephCheckStatus {
  @Field()
  name!: string;

  @Field()
  severity!: string;

  @Field()
  message!: string;
}

@ObjectType({ simpleResolvers: true })
export class CephPgState {
  @Field()
  state!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ simpleResolvers: true })
export class CephPoolStatus {
  @Field()
  name!: string;

  @Field(() => Float)
  bytesUsed!: number;

  @Field(() => Float, { description: 'Fraction (0..1) of the pool’s capacity in use.' })
  percentUsed!: number;

  @Field(() => Int, { description: 'Replicas.' })
  size!: number;

  @Field(() => Int)
  pgNum!: number;
}

@ObjectType({
  description: 'Ceph as last collected; available is false on a cluster without Ceph.',
  simpleResolvers: true,
})
export class CephStatus {
  @Field()
  collectedAt!: string;

  @Field()
  available!: boolean;

  @Field(() => String, { nullable: true, description: 'HEALTH_OK, HEALTH_WARN or HEALTH_ERR.' })
  health!: string | null;

  @Field(() => [CephCheckStatus])
  checks!: CephCheckStatus[];

  @Field(() => Int)
  osdsTotal!: number;

  @Field(() => Int)
  osdsUp!: number;

  @Field(() => Int)
  osdsIn!: number;

  @Field(() => Int)
  pgsTotal!: number;

  @Field(() => [CephPgState])
  pgsByState!: CephPgState[];

  @Field(() => [CephPoolStatus])
  pools!: CephPoolStatus[];

  @Field(() => Float)
  bytesUsed!: number;

  @Field(() => Float)
  bytesTotal!: number;

  @Field(() => String, { nullable: true, description: 'Why Ceph could not be read, when it could not.' })
  error!: string | null;
}

@ObjectType({
  description: "A cluster's health: its nodes and guests as last collected, and Ceph.",
  simpleResolvers: true,
})
export class ClusterStatus {
  @Field()
  clusterId!: string;

  @Field(() => String, { nullable: true, description: 'When the collector last read the cluster.' })
  collectedAt!: string | null;

  @Field(() => [NodeStatusSample])
  nodes!: NodeStatusSample[];

  @Field(() => Int)
  guestsRunning!: number;

  @Field(() => Int)
  guestsTotal!: number;

  @Field(() => CephStatus, { nullable: true, description: 'Null until Ceph has been collected once.' })
  ceph!: CephStatus | null;
}
