import { Big, formatMoney } from '../money.ts';

/** A sum of converted amounts that turns null as soon as one of them could not be converted. */
export class Total {
  private value = new Big(0);
  private missing = false;

  add(amount: Big | null): this {
    if (amount === null) this.missing = true;
    else this.value = this.value.plus(amount);
    return this;
  }

  get complete(): boolean {
    return !this.missing;
  }

  toJSON(currency: string): string | null {
    return this.missing ? null : formatMoney(this.value, currency);
  }

  /** For sorting and charts only: never for money arithmetic. */
  toNumber(): number {
    return this.value.toNumber();
  }
}
