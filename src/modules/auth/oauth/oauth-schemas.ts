import { Type } from 'typebox';
import { OpaqueToken } from '../schemas.ts';

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
