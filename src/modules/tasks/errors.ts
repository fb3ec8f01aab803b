import { AppError, conflict, forbidden, notFound } from '../../core/errors.ts';

/**
 * The tasks module's stable error codes, one constructor each, so a code is spelled in one place.
 * Non-members get 404 for everything in a project (its existence is not confirmed); members whose
 * role is too low get 403.
 */

export const projectNotFound = () => notFound('PROJECT_NOT_FOUND', 'No such project');
export const taskNotFound = () => notFound('TASK_NOT_FOUND', 'No such task');
export const memberNotFound = () => notFound('MEMBER_NOT_FOUND', 'No such member of this project');
export const labelNotFound = () => notFound('LABEL_NOT_FOUND', 'No such label in this project');
export const commentNotFound = () => notFound('COMMENT_NOT_FOUND', 'No such comment on this task');

export const memberExists = () => conflict('MEMBER_EXISTS', 'This user is already a member of the project');
export const labelExists = () => conflict('LABEL_EXISTS', 'The project already has a label with this name');
export const ownerRoleFixed = () => new AppError(409, 'OWNER_ROLE_FIXED', "The owner's role cannot be changed");
export const ownerCannotLeave = () =>
  new AppError(409, 'OWNER_CANNOT_LEAVE', 'The owner cannot leave the project; delete it instead');

/** 403 `FORBIDDEN`: the caller is a member, but their role is below what the action needs. */
export const roleTooLow = (needed: string, what: string) =>
  forbidden(`Only a project ${needed}${needed === 'owner' ? '' : ' or owner'} may ${what}`);
export const commentDeleteForbidden = () => forbidden('Only its author or the project owner may delete a comment');
