import { conflict, notFound } from '../../core/errors.ts';

/**
 * The expenses module's stable error codes, one constructor each. Everything belongs to one user:
 * another user's account, category or transaction is simply not found (404).
 */

export const accountNotFound = () => notFound('ACCOUNT_NOT_FOUND', 'No such account');
export const categoryNotFound = () => notFound('CATEGORY_NOT_FOUND', 'No such category');
export const tagNotFound = () => notFound('TAG_NOT_FOUND', 'No such tag');
export const payeeNotFound = () => notFound('PAYEE_NOT_FOUND', 'No such payee');
export const transactionNotFound = () => notFound('TRANSACTION_NOT_FOUND', 'No such transaction');
export const budgetNotFound = () => notFound('BUDGET_NOT_FOUND', 'No such budget');
export const recurringNotFound = () => notFound('RECURRING_NOT_FOUND', 'No such recurring rule');
export const rateNotFound = () => notFound('RATE_NOT_FOUND', 'No such exchange rate');
export const importNotFound = () => notFound('IMPORT_NOT_FOUND', 'No such import batch');
export const receiptNotFound = () => notFound('RECEIPT_NOT_FOUND', 'This file is not attached to the transaction');

export const nameTaken = (what: string) => conflict('NAME_TAKEN', `You already have a ${what} with this name`);
export const accountInUse = () =>
  conflict('ACCOUNT_IN_USE', 'The account has transactions; archive it instead, or delete them first');
export const categoryInUse = () =>
  conflict('CATEGORY_IN_USE', 'The category has transactions or subcategories; move them first');
export const importUndone = () => conflict('IMPORT_UNDONE', 'This import batch was already undone');
