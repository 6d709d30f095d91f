import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@vigil/auth';
import type { ReviewItemView, ReviewQueueView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from '../auth/roles.decorator';
import { CreateReviewLabelDto, ReviewQueueQuery } from './reviews.dto';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews')
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get('queue')
  @Roles('reviewer', 'admin')
  @ApiOperation({ summary: 'The review queue: every alert and sampled decisions; open items first, oldest first within a status (default status=open)' })
  queue(@Query() query: ReviewQueueQuery): Promise<ReviewQueueView> {
    return this.reviews.queue(query);
  }

  @Post()
  @Roles('reviewer', 'admin')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Label a review item (TP/FP/FN/TN); 403 if you already labelled it. Watchlist alerts are confirmed by two different reviewers.',
  })
  async label(@CurrentPrincipal() by: Principal, @Body() body: CreateReviewLabelDto): Promise<{ item: ReviewItemView }> {
    return { item: await this.reviews.label(by, body) };
  }
}
