import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, TokenIssuer } from '@vigil/auth';
import { Database } from '@vigil/persistence';
import type { MintedTokenView, TokenView } from '@vigil/contracts';
import { CurrentPrincipal, Roles } from './roles.decorator';
import { ListTokensQuery, MintTokenDto, PatchTokenDto } from './tokens.dto';
import { toTokenView } from './token.view';
import { AppEvents } from '../core/app-events';

@ApiTags('tokens')
@Controller('tokens')
export class TokensController {
  constructor(
    private readonly issuer: TokenIssuer,
    private readonly db: Database,
    private readonly events: AppEvents,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Mint a device/integration token (security, reviewer or kiosk), held by a user (default: you). The secret is shown only in this response.' })
  async mint(@CurrentPrincipal() by: Principal, @Body() body: MintTokenDto): Promise<MintedTokenView> {
    const { token, secret } = await this.issuer.mint(by, body);
    return { ...toTokenView(token), token: secret };
  }

  @Get()
  @Roles('admin')
  async list(@Query() query: ListTokensQuery): Promise<TokenView[]> {
    return (await this.db.repos.tokens.list(query.includeRevoked)).map(toTokenView);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: "Change a kiosk token's liveness setting ('required' | 'off'); audited, applies from its next check." })
  async patch(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: PatchTokenDto): Promise<TokenView> {
    return toTokenView(await this.issuer.setLiveness(by, id, body.liveness));
  }

  @Delete(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke a token: it stops working at once and its live sockets are disconnected.' })
  async revoke(@CurrentPrincipal() by: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<TokenView> {
    const token = await this.issuer.revoke(by, id);
    this.events.emit('token.revoked', token.id);
    return toTokenView(token);
  }
}
