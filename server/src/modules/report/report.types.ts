import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Resource use over a period. Hours count only while a machine runs; disk counts always.' })
export class UsageFigures {
  @Field(() => Float, { description: 'Cores × hours running.' })
  coreHours!: number;

  @Field(() => Float, { description: 'GiB of memory × hours running.' })
  memoryGiBHours!: number;

  @Field(() => Float, { description: 'GiB of disk × days existing.' })
  diskGiBDays!: number;

  @Field(() => Float, { description: 'Hours running.' })
  machineHours!: number;

  @Field(() => Float, { description: 'GPUs × hours running (0: machines have no GPUs yet).' })
  gpuHours!: number;
}

@ObjectType()
export class MachineUsageLine extends UsageFigures {
  @Field()
  machineId!: string;

  @Field()
  name!: string;
}

@ObjectType()
export class ProjectUsageLine {
  @Field()
  projectId!: string;

  @Field()
  name!: string;

  @Field(() => UsageFigures)
  totals!: UsageFigures;

  @Field(() => [MachineUsageLine])
  machines!: MachineUsageLine[];
}

@ObjectType({ description: "An organization's or a project's usage over [from, to)." })
export class UsageReport {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => String, { nullable: true })
  organizationId!: string | null;

  @Field(() => String, { nullable: true })
  projectId!: string | null;

  @Field(() => UsageFigures)
  totals!: UsageFigures;

  @Field(() => [ProjectUsageLine])
  projects!: ProjectUsageLine[];
}
