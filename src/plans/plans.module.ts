import { Global, Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventCodecs } from '../shared/event-store/event-codec';
import { CreatePlanController } from './create-plan/create-plan.controller';
import { CreatePlanHandler } from './create-plan/create-plan.handler';
import { GetPlanController } from './get-plan/get-plan.controller';
import { GetPlanHandler } from './get-plan/get-plan.query';
import { ListPlansController } from './list-plans/list-plans.controller';
import { ListPlansHandler } from './list-plans/list-plans.query';
import { PlanCodec } from './plan.codec';
import { PlanListProjection } from './read-models/plan-list.projection';
import { PlanQueries } from './read-models/plan.queries';
import { UpdatePlanController } from './update-plan/update-plan.controller';
import { UpdatePlanHandler } from './update-plan/update-plan.handler';

export const PLAN_PROJECTIONS = [PlanListProjection];

/**
 * Plans (SPEC §5). Global because customers (checking a `plan_id`) and usage (reading a
 * quota) reach PlanQueries and PlanCodec, and customers' own module is imported by usage:
 * importing back would be a cycle.
 */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [CreatePlanController, ListPlansController, GetPlanController, UpdatePlanController],
  providers: [PlanCodec, PlanQueries, CreatePlanHandler, UpdatePlanHandler, GetPlanHandler, ListPlansHandler],
  exports: [PlanCodec, PlanQueries],
})
export class PlansModule implements OnModuleInit {
  constructor(
    private readonly codecs: EventCodecs,
    private readonly codec: PlanCodec,
  ) {}

  onModuleInit(): void {
    this.codecs.register(this.codec);
  }
}
