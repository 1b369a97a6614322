// A series column-wise: one array of numbers per measure instead of one object per point. A chart
// of 288 points as objects is ~2,600 fields for graphql-js to resolve one by one and ~70 KB of
// repeated keys to write and parse; as columns it is a dozen fields of plain number arrays.
import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'The points of a series column-wise: every array has one entry per point, in time order (index i of each is point i).',
  simpleResolvers: true,
})
export class MetricColumns {
  @Field(() => [Float], { description: "Start of each point's interval, milliseconds since the Unix epoch." })
  atMs!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.cpu.' })
  cpu!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.cpuMax.' })
  cpuMax!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.memoryBytes.' })
  memoryBytes!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.memoryMaxBytes.' })
  memoryMaxBytes!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.memoryTotalBytes.' })
  memoryTotalBytes!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.netIn.' })
  netIn!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.netOut.' })
  netOut!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.diskRead.' })
  diskRead!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.diskWrite.' })
  diskWrite!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.diskUsedBytes.' })
  diskUsedBytes!: number[];

  @Field(() => [Float], { description: 'As MetricPoint.diskTotalBytes.' })
  diskTotalBytes!: number[];
}
