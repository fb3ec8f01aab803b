import { AppError, conflict, forbidden, notFound, unprocessable } from '../../core/errors.ts';

/** The messaging module's stable error codes. */

export const conversationNotFound = () => notFound('CONVERSATION_NOT_FOUND', 'No such conversation');
export const messageNotFound = () => notFound('MESSAGE_NOT_FOUND', 'No such message in this conversation');
export const memberNotFound = () => notFound('MEMBER_NOT_FOUND', 'No such member of this conversation');
export const userNotFound = (field: string) => unprocessable([{ field, message: 'no user has this id' }]);
export const blocked = () =>
  new AppError(403, 'USER_BLOCKED', 'One of you has blocked the other: no direct messages between you');
export const adminOnly = (what: string) => forbidden(`Only a group admin may ${what}`, 'ADMIN_ONLY');
export const authorOnly = (what: string) => forbidden(`Only the author may ${what}`, 'AUTHOR_ONLY');
export const notAGroup = () =>
  conflict('NOT_A_GROUP', 'A direct conversation has exactly its two people; start a group instead');
export const memberExists = () => conflict('MEMBER_EXISTS', 'This user is already a member');
export const groupFull = (max: number) => conflict('GROUP_FULL', `A group has at most ${max} members`);
export const lastAdmin = () =>
  conflict('LAST_ADMIN', 'A group needs an admin: make someone else admin first, or leave (which promotes one)');
export const messageDeleted = () => conflict('MESSAGE_DELETED', 'This message was deleted');
export const selfConversation = () =>
  unprocessable([{ field: 'body.userId', message: 'a direct conversation needs someone other than you' }]);
export const selfBlock = () => unprocessable([{ field: 'params.userId', message: 'you cannot block yourself' }]);
