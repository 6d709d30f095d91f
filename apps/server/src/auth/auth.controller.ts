import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConsoleSessions, FirstAdminSetup, Principal, SESSION_COOKIE, UserDirectory } from '@vigil/auth';
import type { SessionView } from '@vigil/contracts';
import { ForbiddenError } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { crossSiteOrigin, sessionCookieOf } from './request-credentials';
import { CurrentPrincipal, Public, Roles } from './roles.decorator';
import { toUserView } from './user.view';
import { ChangePasswordDto, SetupDto, SignInDto } from './users.dto';

const ALL_ROLES = ['admin', 'security', 'reviewer', 'kiosk'] as const;

/**
 * Console sign-in. The session lives on the server; the browser holds only an HttpOnly,
 * SameSite=Strict cookie (Secure over HTTPS) and a CSRF token for state-changing requests.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly users: UserDirectory,
    private readonly setup: FirstAdminSetup,
    private readonly db: Database,
    private readonly events: AppEvents,
  ) {}

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with username and password: sets the session cookie and answers the CSRF token.' })
  async signIn(@Body() body: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    if (crossSiteOrigin(req.headers)) throw new ForbiddenError('A sign-in from another site was refused.');
    const signed = await this.sessions.signIn({ username: body.username, password: body.password, address: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null });
    this.setCookie(req, res, signed.secret, signed.expiresAt);
    return { kind: 'session', role: signed.principal.role, name: signed.principal.name, user: toUserView(signed.user), csrfToken: signed.csrfToken, expiresAt: signed.expiresAt.toISOString() };
  }

  @Post('setup')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: "First start only: set the first administrator's account with the one-time code the server printed, and sign in." })
  async completeSetup(@Body() body: SetupDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    if (crossSiteOrigin(req.headers)) throw new ForbiddenError('A setup request from another site was refused.');
    await this.setup.complete(body);
    return this.signIn({ username: body.username, password: body.password }, req, res);
  }

  @Get('session')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Who you are signed in as (or which token you use), and the CSRF token of a cookie session.' })
  async session(@CurrentPrincipal() me: Principal, @Req() req: Request): Promise<SessionView> {
    if (!me.sessionId || !me.userId) return { kind: 'token', role: me.role, name: me.name, user: null, csrfToken: null, expiresAt: null };
    const user = await this.db.repos.users.findById(me.userId);
    const secret = sessionCookieOf(req.headers)!;
    return { kind: 'session', role: me.role, name: me.name, user: user ? toUserView(user) : null, csrfToken: this.sessions.csrfTokenFor(secret), expiresAt: null };
  }

  @Post('sign-out')
  @Roles(...ALL_ROLES)
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends this session (the cookie is cleared and its sockets are cut).' })
  async signOut(@CurrentPrincipal() me: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const ended = await this.sessions.signOut(me);
    if (ended) this.events.emit('access.ended', { ...ended, wholeUser: false });
    this.clearCookie(req, res);
  }

  @Post('sign-out-everywhere')
  @Roles('admin', 'security', 'reviewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends every session of your account, on every device (tokens you hold are not affected).' })
  async signOutEverywhere(@CurrentPrincipal() me: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const ended = await this.sessions.signOutEverywhere(me);
    this.events.emit('access.ended', { ...ended, wholeUser: false });
    this.clearCookie(req, res);
  }

  @Post('password')
  @Roles('admin', 'security', 'reviewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your own password (needs the current one); your other sessions end.' })
  async changePassword(@CurrentPrincipal() me: Principal, @Body() body: ChangePasswordDto): Promise<void> {
    const ended = await this.users.changeOwnPassword(me, body.currentPassword, body.newPassword);
    this.events.emit('access.ended', { ...ended, wholeUser: false });
  }

  private setCookie(req: Request, res: Response, secret: string, expiresAt: Date): void {
    res.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'strict', secure: isHttps(req), path: '/', expires: expiresAt });
  }

  private clearCookie(req: Request, res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: isHttps(req), path: '/' });
  }
}

/**
 * HTTPS directly, or through a TLS-terminating proxy (trusted with VIGIL_TRUST_PROXY, or any that
 * says so: the flag only ever makes the cookie stricter).
 */
function isHttps(req: Request): boolean {
  return req.secure || req.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
