import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator';
import { Metrics } from './metrics';
import { MetricsAuthGuard } from './metrics-auth.guard';

/**
 * Prometheus scrape endpoint, outside /api. Counters only, no personal data, but they tell an
 * outsider how busy each camera is and how inference fares: VIGIL_METRICS_TOKEN or an admin token.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  @UseGuards(MetricsAuthGuard)
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
