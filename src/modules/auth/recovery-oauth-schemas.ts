import { Type } from 'typebox';
import { Email, Password } from './schemas.ts';

// Opaque tokens are 43 base64url characters; the bound is generous and keeps junk out.
const OpaqueToken = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });

export const VerifyEmailBody = Type.Object({ token: OpaqueToken }, { additionalProperties: false });

export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });

export const PasswordResetBody = Type.Object(
  { token: OpaqueToken, password: Password },
  { additionalProperties: false },
);

export const Accepted = Type.Object({
  status: Type.Literal('accepted'),
  message: Type.String(),
});

export const OAuthProviderParams = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 40 }) });

export const OAuthCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2048 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
});

export const OAuthExchangeBody = Type.Object({ code: OpaqueToken }, { additionalProperties: false });

export const OAuthProviderList = Type.Object({
  items: Type.Array(
    Type.Object({
      name: Type.String(),
      label: Type.String(),
      kind: Type.Enum(['oidc', 'github']),
      loginUrl: Type.String({ description: 'Navigate the browser here to log in with this provider' }),
    }),
  ),
});
