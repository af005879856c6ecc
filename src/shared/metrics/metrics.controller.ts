import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth-context';
import { ProjectionRunner } from '../projections/projection-runner';
import { Metrics } from './metrics';

@ApiExcludeController()
@Public()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    // Lag is measured on scrape: a gauge nobody reads need not be kept current.
    for (const { name, lag } of await this.projections.lag()) {
      this.metrics.projectionLag.set({ projection: name }, Number(lag));
    }
    return this.metrics.registry.metrics();
  }
}
