import { Type } from 'typebox';
import * as examples from '../examples.ts';
import { Email, Password, Username } from '../schemas.ts';
import { PASSWORD_MAX_LENGTH } from './passwords.ts';

export const RegisterBody = Type.Object(
  { email: Email, username: Username, password: Password },
  { examples: [examples.registration], additionalProperties: false },
);

export const UpdateMeBody = Type.Object(
  {
    email: Type.Optional(Email),
    username: Type.Optional(Username),
    password: Type.Optional(Password),
    currentPassword: Type.Optional(Type.String({ maxLength: PASSWORD_MAX_LENGTH })),
    bio: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    image: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 2000 }), Type.Null()])),
  },
  { examples: [examples.profileChange], additionalProperties: false, minProperties: 1 },
);
