import { Field, Float, ID, ObjectType } from 'type-graphql';
import { AlertEventKind, AlertSeverity, AlertState } from './alert.entity.js';

@ObjectType({ description: 'An alert changed (in-app notification).', simpleResolvers: true })
export class AlertEventPayload {
  @Field(() => AlertEventKind)
  kind!: string;

  @Field({ description: "ISO-8601; the collector's clock for state changes." })
  at!: string;

  @Field(() => ID)
  alertId!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field()
  ruleName!: string;

  @Field(() => ID, { nullable: true })
  organizationId!: string | null;

  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => ID, { nullable: true })
  machineId!: string | null;

  @Field(() => ID, { nullable: true })
  clusterId!: string | null;

  @Field()
  subject!: string;

  @Field()
  subjectLabel!: string;

  @Field(() => AlertState)
  state!: string;

  @Field(() => AlertSeverity)
  severity!: string;

  @Field(() => Float)
  value!: number;
}
