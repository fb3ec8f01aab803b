import { isUniqueViolation } from '../../db/errors.ts';
import { nameTaken } from './errors.ts';

/** Runs a write whose name must be unique per user: a clash (even a racing one) is 409 NAME_TAKEN. */
export async function uniqueName<T>(what: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(what);
    throw error;
  }
}
