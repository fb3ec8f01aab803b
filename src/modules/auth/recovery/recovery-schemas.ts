import { Type } from 'typebox';
import { Email, OpaqueToken, Password } from '../schemas.ts';

export const VerifyEmailBody = Type.Object({ token: OpaqueToken }, { additionalProperties: false });

export const RevertEmailChangeBody = Type.Object({ token: OpaqueToken }, { additionalProperties: false });

export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });

export const PasswordResetBody = Type.Object(
  { token: OpaqueToken, password: Password },
  { additionalProperties: false },
);

export const Accepted = Type.Object({
  status: Type.Literal('accepted'),
  message: Type.String(),
});
