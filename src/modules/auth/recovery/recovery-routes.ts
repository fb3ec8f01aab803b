import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoContent, problemResponses } from '../../../core/schemas.ts';
import { clientInfo } from '../client-info.ts';
import { authenticate, currentUser } from '../guard.ts';
import { limitBy, normalizedEmail, perIp } from '../rate-limits.ts';
import { revertEmailChange } from './email-change.ts';
import { requestVerificationEmail, verifyEmail } from './email-verification.ts';
import { queuePasswordReset, resetPassword } from './password-reset.ts';
import {
  Accepted,
  PasswordResetBody,
  PasswordResetRequestBody,
  RevertEmailChangeBody,
  VerifyEmailBody,
} from './recovery-schemas.ts';

const tags = ['auth'];
const bearer = [{ bearerAuth: [] }];

const RESET_ACCEPTED = {
  status: 'accepted' as const,
  message: 'If an account uses this address, a link to reset its password is on its way.',
};

/** Email verification and password reset, under `/api/auth`. */
export const recoveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { perAddress, windowMs } = app.config.emailRateLimit;

  app.post(
    '/verify-email/request',
    {
      config: perIp(app),
      onRequest: authenticate,
      preHandler: limitBy(app, 'verify-email-request', (request) => request.user?.id, { max: perAddress, windowMs }),
      schema: {
        tags,
        summary: "Mail a new verification link to the current user's address",
        security: bearer,
        response: { 202: Accepted, ...problemResponses(401, 409, 429) },
      },
    },
    async (request, reply) => {
      await requestVerificationEmail(app, currentUser(request).id);
      return reply.code(202).send({ status: 'accepted', message: 'A verification link is on its way.' });
    },
  );

  app.post(
    '/verify-email',
    {
      config: perIp(app),
      schema: {
        tags,
        summary: 'Verify an email address with the token from the mailed link (single use, 24 h)',
        body: VerifyEmailBody,
        response: { 204: NoContent, ...problemResponses(400, 422, 429) },
      },
    },
    async (request, reply) => {
      await verifyEmail(app, request.body.token, clientInfo(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password-reset/request',
    {
      config: perIp(app),
      preHandler: limitBy(
        app,
        'password-reset-request',
        (request) => normalizedEmail((request.body as { email: string }).email),
        {
          max: perAddress,
          windowMs,
        },
      ),
      schema: {
        tags,
        summary: 'Mail a password-reset link; the answer is the same whether or not the account exists',
        body: PasswordResetRequestBody,
        response: { 202: Accepted, ...problemResponses(422, 429) },
      },
    },
    async (request, reply) => {
      await queuePasswordReset(app, request.body.email, clientInfo(request));
      return reply.code(202).send(RESET_ACCEPTED);
    },
  );

  app.post(
    '/password-reset',
    {
      config: perIp(app),
      schema: {
        tags,
        summary: 'Set a new password with the mailed token (single use, 30 min); ends every session',
        body: PasswordResetBody,
        response: { 204: NoContent, ...problemResponses(400, 422, 429) },
      },
    },
    async (request, reply) => {
      await resetPassword(app, request.body, clientInfo(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/email-change/revert',
    {
      config: perIp(app),
      schema: {
        tags,
        summary:
          'Undo an email change with the token mailed to the old address (single use, 7 days); restores that address and ends every session',
        body: RevertEmailChangeBody,
        response: { 204: NoContent, ...problemResponses(400, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      await revertEmailChange(app, request.body.token, clientInfo(request));
      return reply.code(204).send(null);
    },
  );
};
