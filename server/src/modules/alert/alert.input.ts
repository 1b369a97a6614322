import { IsIn, IsNumber, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { AlertComparator, AlertMetric, AlertScope, AlertSeverity, AlertState } from './alert.entity.js';

const finite = { allowNaN: false, allowInfinity: false };

@InputType()
export class CreateAlertRuleInput {
  @Field()
  @Length(1, 100)
  name!: string;

  @Field(() => AlertScope)
  scope!: AlertScope;

  @Field(() => ID, { nullable: true, description: 'MACHINE scope: the machine.' })
  machineId?: string | null;

  @Field(() => ID, { nullable: true, description: 'PROJECT scope: the project.' })
  projectId?: string | null;

  @Field(() => ID, { nullable: true, description: 'NODE, CLUSTER, CEPH scopes: one cluster; null: all.' })
  clusterId?: string | null;

  @Field(() => String, { nullable: true, description: 'NODE scope: one node; null: all.' })
  @IsOptional()
  @Length(1, 63)
  node?: string | null;

  @Field(() => AlertMetric)
  metric!: AlertMetric;

  @Field(() => AlertComparator)
  comparator!: AlertComparator;

  @Field(() => Float)
  @IsNumber(finite)
  threshold!: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber(finite)
  clearThreshold?: number | null;

  @Field(() => Int, { description: 'Seconds the condition must hold before firing (0 to 86400).' })
  @Min(0)
  @Max(86_400)
  durationSeconds!: number;

  @Field(() => AlertSeverity, { defaultValue: AlertSeverity.WARNING })
  severity: AlertSeverity = AlertSeverity.WARNING;

  @Field({ defaultValue: true })
  enabled: boolean = true;
}

/** What may change on a rule; its scope and subject stay (make a new rule for another). */
@InputType()
export class UpdateAlertRuleInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Length(1, 100)
  name?: string;

  @Field(() => AlertMetric, { nullable: true })
  metric?: AlertMetric;

  @Field(() => AlertComparator, { nullable: true })
  comparator?: AlertComparator;

  @Field(() => Float, { nullable: true })
  @IsOptionalNonNull()
  @IsNumber(finite)
  threshold?: number;

  @Field(() => Float, { nullable: true, description: 'Null clears it (the threshold itself).' })
  @IsOptional()
  @IsNumber(finite)
  clearThreshold?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptionalNonNull()
  @Min(0)
  @Max(86_400)
  durationSeconds?: number;

  @Field(() => AlertSeverity, { nullable: true })
  severity?: AlertSeverity;

  @Field({ nullable: true })
  enabled?: boolean;
}

@InputType()
export class AlertFilter {
  @Field(() => [AlertState], { nullable: true, description: 'Default: every state.' })
  @IsOptional()
  @IsIn(Object.values(AlertState), { each: true })
  states?: AlertState[];

  @Field(() => [AlertSeverity], { nullable: true })
  severities?: AlertSeverity[];

  @Field(() => ID, { nullable: true })
  projectId?: string | null;

  @Field(() => ID, { nullable: true })
  ruleId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Alerts opened at or after this time.' })
  since?: Date | null;
}
