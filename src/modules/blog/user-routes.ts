import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticate, authenticateOptional, currentUser } from '../auth/index.ts';
import * as profiles from './profile-service.ts';
import {
  errorResponses,
  LoginUserRequest,
  NewUserRequest,
  ProfileResponse,
  UpdateUserRequest,
  UsernameParams,
  UserResponse,
} from './schemas.ts';
import * as users from './user-service.ts';

const security = [{ bearerAuth: [] }];

/** RealWorld users and profiles: /api/users, /api/user, /api/profiles/:username. */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['blog'];

  app.post(
    '/users',
    {
      schema: {
        tags,
        summary: 'Register (RealWorld); the same account logs in at /api/auth/login',
        body: NewUserRequest,
        response: { 201: UserResponse, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send({ user: await users.register(app, request, request.body.user) }),
  );

  app.post(
    '/users/login',
    {
      schema: {
        tags,
        summary: 'Log in (RealWorld): email and password',
        body: LoginUserRequest,
        response: { 200: UserResponse, ...errorResponses(401, 403, 422) },
      },
    },
    async (request) => ({ user: await users.login(app, request, request.body.user) }),
  );

  app.get(
    '/user',
    {
      onRequest: authenticate,
      schema: { tags, summary: 'The current user', security, response: { 200: UserResponse, ...errorResponses(401) } },
    },
    async (request) => ({ user: await users.current(app, request, currentUser(request).id) }),
  );

  app.put(
    '/user',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: 'Update the current user',
        security,
        body: UpdateUserRequest,
        response: { 200: UserResponse, ...errorResponses(401, 409, 422) },
      },
    },
    async (request) => ({ user: await users.update(app, request, currentUser(request).id, request.body.user) }),
  );

  app.get(
    '/profiles/:username',
    {
      onRequest: authenticateOptional,
      schema: {
        tags,
        summary: 'A profile (auth optional)',
        params: UsernameParams,
        response: { 200: ProfileResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => ({
      profile: await profiles.getProfile(app.db, request.user?.id ?? null, request.params.username),
    }),
  );

  for (const [method, following] of [
    ['POST', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/profiles/:username/follow',
      onRequest: authenticate,
      schema: {
        tags,
        summary: following ? 'Follow a user (idempotent; not yourself: 422)' : 'Unfollow a user (idempotent)',
        security,
        params: UsernameParams,
        response: { 200: ProfileResponse, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => ({
        profile: await profiles.setFollowing(app.db, currentUser(request).id, request.params.username, following),
      }),
    });
  }
};
